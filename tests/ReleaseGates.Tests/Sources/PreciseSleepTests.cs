using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ReleaseGates.Tests.Sources;

public class PreciseSleepTests
{
    [Fact]
    public void Is_supported_on_64_bit_Linux_and_nowhere_else()
        => Assert.Equal(OperatingSystem.IsLinux() && Environment.Is64BitProcess, PreciseSleep.IsSupported);

    [Fact]
    public void Sleeps_at_least_what_was_asked()
    {
        Assert.SkipUnless(PreciseSleep.IsSupported, "clock_nanosleep is Linux's; elsewhere TrySleep returns false without sleeping");
        foreach (var microseconds in new[] { 50, 300, 2_000 })
        {
            var before = Stopwatch.GetTimestamp();
            Assert.True(PreciseSleep.TrySleep(microseconds * 1_000L));
            Assert.True(Stopwatch.GetElapsedTime(before).TotalMicroseconds >= microseconds, $"slept less than {microseconds} µs");
        }
    }

    [Fact]
    public void A_signal_does_not_cut_the_sleep_short()
    {
        if (!OperatingSystem.IsLinux() || !PreciseSleep.IsSupported)
        {
            Assert.Skip("clock_nanosleep is Linux's; elsewhere TrySleep returns false without sleeping");
            return;
        }

        // A handled signal ends clock_nanosleep early (EINTR) whatever SA_RESTART says; the rest must still be slept.
        // SIGWINCH, with a handler registered, is sent to the sleeping thread itself every 100 µs or so.
        using var handler = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, context => context.Cancel = true);
        var sleeper = -1;
        var done = 0;
        var signaller = new Thread(() =>
        {
            while (Volatile.Read(ref done) == 0)
            {
                if (Volatile.Read(ref sleeper) is > 0 and var thread)
                {
                    _ = Tgkill(Environment.ProcessId, thread, SigWinch);
                }

                Thread.SpinWait(2_000);
            }
        }) { IsBackground = true };
        signaller.Start();
        try
        {
            Volatile.Write(ref sleeper, Gettid());
            var before = Stopwatch.GetTimestamp();
            Assert.True(PreciseSleep.TrySleep(20_000_000));
            Assert.True(Stopwatch.GetElapsedTime(before).TotalMilliseconds >= 20, "the sleep ended at a signal");
        }
        finally
        {
            Volatile.Write(ref done, 1);
            signaller.Join();
        }
    }

    private const int SigWinch = 28;

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int Gettid();

    [DllImport("libc", EntryPoint = "tgkill")]
    private static extern int Tgkill(int processId, int threadId, int signal);

    [Fact]
    public void Nothing_or_less_is_not_a_sleep()
    {
        Assert.False(PreciseSleep.TrySleep(0));
        Assert.False(PreciseSleep.TrySleep(-5));
    }
}
