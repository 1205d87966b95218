using System.Runtime.InteropServices;

namespace ReleaseGates;

/// <summary>
/// Sleeps for less than a millisecond, where the operating system can: .NET's own waits (<c>Thread.Sleep</c>,
/// wait handles, timers) count in whole milliseconds, so a thread that must wake 300 µs from now otherwise yields the
/// processor in a loop, a system call every microsecond or so, on cores the server under test needs. On Linux the thread
/// asks for a timer slack of 1 µs (the default lets the kernel wake it up to 50 µs late) and sleeps with
/// <c>clock_nanosleep</c> on the monotonic clock.
/// </summary>
internal static partial class PreciseSleep
{
    /// <summary>Whether <see cref="TrySleep"/> can sleep here (64-bit Linux).</summary>
    public static bool IsSupported { get; } = OperatingSystem.IsLinux() && Environment.Is64BitProcess;

    [ThreadStatic]
    private static bool t_slackSet;

    /// <summary>
    /// Sleeps at least <paramref name="nanoseconds"/> on the calling thread (a little more: the wake-up), or does nothing
    /// and returns false where that is not supported.
    /// </summary>
    public static bool TrySleep(long nanoseconds)
    {
        if (!IsSupported || nanoseconds <= 0)
        {
            return false;
        }

        if (!t_slackSet)
        {
            t_slackSet = true;
            _ = Prctl(PrSetTimerSlack, 1_000, 0, 0, 0); // best effort: without it the sleep is up to 50 µs longer
        }

        // Interrupted by a signal (the runtime uses them to suspend threads for a collection): sleep what is left.
        var request = new TimeSpec { Seconds = nanoseconds / 1_000_000_000, Nanoseconds = nanoseconds % 1_000_000_000 };
        int result;
        while ((result = ClockNanosleep(ClockMonotonic, 0, in request, out var remaining)) == Eintr)
        {
            request = remaining;
        }

        return result == 0;
    }

    private const int ClockMonotonic = 1;
    private const int PrSetTimerSlack = 29;
    private const int Eintr = 4;

    /// <summary>Linux's <c>struct timespec</c> on 64-bit targets (the library ships no 32-bit native build).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clock, int flags, in TimeSpec request, out TimeSpec remaining);

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int Prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);
}
