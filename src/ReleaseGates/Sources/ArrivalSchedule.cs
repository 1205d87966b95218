namespace ReleaseGates;

/// <summary>
/// When the open-model load probe's requests come due: at a fixed rate, or rising linearly from zero to it over a ramp
/// (the count due by time t is the integral of the rate, inverted for the n-th request).
/// </summary>
internal static class ArrivalSchedule
{
    /// <summary>Seconds from the run's start at which request <paramref name="n"/> (counted from 0) comes due.</summary>
    public static double Offset(long n, double rate, TimeSpan rampUp)
    {
        var ramp = rampUp.TotalSeconds;

        // Over a ramp of R seconds the rate is rate·t/R, so rate·t²/(2R) requests are due by t, and rate·R/2 by its end.
        var rampRequests = rate * ramp / 2;
        return n < rampRequests ? Math.Sqrt(2 * ramp * n / rate) : ramp + ((n - rampRequests) / rate);
    }

    /// <summary>How many requests come due in the first <paramref name="seconds"/> of the schedule.</summary>
    public static long DueBy(double seconds, double rate, TimeSpan rampUp)
    {
        var ramp = rampUp.TotalSeconds;
        var count = seconds <= ramp && ramp > 0 ? rate * seconds * seconds / (2 * ramp) : (rate * ramp / 2) + (rate * (seconds - ramp));
        return (long)Math.Ceiling(count - 1e-9); // 200 a second for 3 s is 600 due, however the product rounds
    }
}
