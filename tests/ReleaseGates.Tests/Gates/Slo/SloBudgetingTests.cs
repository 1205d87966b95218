using Microsoft.Extensions.Time.Testing;
using ReleaseGates.Metrics;

namespace ReleaseGates.Tests.Gates.Slo;

/// <summary>
/// The SLO gate's budgeting methods and calendar windows over 1-minute windows of a fake clock standing at a minute's
/// boundary, every expected value counted by hand.
/// </summary>
public class SloBudgetingTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    /// <summary>One day of 1-minute windows, each with <paramref name="requests"/> requests and no failure, changed by <paramref name="edit"/>.</summary>
    private static RequestWindows Day(long requests, Func<DateTimeOffset, (long Total, long Errors)?>? edit = null, int days = 1)
    {
        var windows = new RequestWindows(Minute, (days * 1440) + 1, new FakeTimeProvider(Now));
        for (var start = Now - TimeSpan.FromDays(days); start < Now; start += Minute)
        {
            var (total, errors) = edit?.Invoke(start) ?? (requests, 0);
            windows.AddInterval(start, total, errors, null);
        }

        return windows;
    }

    private static SloGateOptions Options(SloBudgetingMethod method, Action<SloGateOptions>? configure = null)
    {
        var options = new SloGateOptions
        {
            Objective = 0.99, Window = TimeSpan.FromDays(1), BudgetingMethod = method, TimesliceWindow = TimeSpan.FromMinutes(5), TimesliceTarget = 0.99,
        };
        options.BurnRates.Clear();
        configure?.Invoke(options);
        return options;
    }

    private static double Value(GateResult result, string name) => result.Measurements.First(m => m.Name == name).Value;

    [Fact]
    public void Time_slices_weigh_a_quiet_slice_as_much_as_a_busy_one()
    {
        // 1,000 requests a minute; at 03:00 a quiet minute of 10 requests with 1 failure (10 % of its 5-minute slice of
        // 4,010 is 0.02 %: a good slice), and at 07:00 two minutes of 1,000 with 30 failures (60 of 5,000 = 1.2 %: a bad slice).
        var windows = Day(1000, start => start.Hour switch
        {
            3 when start.Minute == 0 => (10, 1),
            7 when start.Minute < 2 => (1000, 30),
            _ => null,
        });

        var bySlice = SloGate.Judge(windows, Options(SloBudgetingMethod.Timeslices), "test");
        Assert.Equal(GateStatus.Passed, bySlice.Status);
        Assert.Equal(288, Value(bySlice, "slices"));
        Assert.Equal(1, Value(bySlice, "bad-slices"));
        Assert.Equal(100 * (1 - (1.0 / 288)), Value(bySlice, "sli"), 9);
        Assert.Equal(100 * (1 - (1 / 2.88)), Value(bySlice, "budget-remaining"), 9);       // 2.88 bad slices allowed, 1 spent
        Assert.Equal(1.88, Value(bySlice, "budget-remaining-slices"), 9);
        Assert.Contains("by 5m time slices", bySlice.Summary, StringComparison.Ordinal);

        // A quiet slice that fails: 10 requests, 1 failure make the whole slice bad, where by occurrences it is a tenth
        // of a request's share of the day.
        var quiet = Day(1000, start => start.Hour == 3 && start.Minute < 5 ? (2, start.Minute == 0 ? 1 : 0) : null);
        Assert.Equal(1, Value(SloGate.Judge(quiet, Options(SloBudgetingMethod.Timeslices), "test"), "bad-slices"));
        Assert.Equal(1, Value(SloGate.Judge(quiet, Options(SloBudgetingMethod.Occurrences), "test"), "errors"));
    }

    [Fact]
    public void Ratio_time_slices_average_every_slices_good_share_and_leave_out_slices_without_requests()
    {
        // Half the day has no requests; the other half 100 a minute, and one 5-minute slice with 50 of its 500 failing.
        var windows = Day(100, start => start.Hour < 12 ? (0, 0) : start.Hour == 13 && start.Minute < 5 ? (100, 10) : null);

        var result = SloGate.Judge(windows, Options(SloBudgetingMethod.RatioTimeslices, o => o.Objective = 0.9), "test");

        Assert.Equal(144, Value(result, "slices"));                          // 12 hours of 5-minute slices with requests
        Assert.Equal(0.1, Value(result, "bad-slices"), 12);                  // one slice 10 % bad
        Assert.Equal(100 * (1 - (0.1 / 144)), Value(result, "sli"), 9);
        Assert.Equal(100 * (1 - (0.1 / 14.4)), Value(result, "budget-remaining"), 9);
    }

    [Fact]
    public void A_slice_that_is_not_a_whole_number_of_intervals_is_an_error_and_the_slice_target_is_required()
    {
        var result = SloGate.Judge(Day(100), Options(SloBudgetingMethod.Timeslices, o => o.TimesliceWindow = TimeSpan.FromSeconds(90)), "test");
        Assert.Equal(GateStatus.Error, result.Status);
        Assert.Contains("A time slice of 90s is not a whole number of the source's 1m intervals", result.Summary, StringComparison.Ordinal);

        var problems = new List<string>();
        Options(SloBudgetingMethod.Timeslices, o => o.TimesliceTarget = null).Validate(problems);
        Assert.Contains(problems, p => p.StartsWith("TimesliceTarget is required with Timeslices", StringComparison.Ordinal));
    }

    [Fact]
    public void A_calendar_window_counts_from_the_start_of_the_current_period()
    {
        // Monthly periods from 2026-01-01 00:00 in UTC: on 2026-12-06 12:00 the period began 5.5 days ago. Requests
        // before it (a failing week in November) belong to the last period's budget, not to this one.
        var windows = Day(100, start => start < new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero) ? (100, 50) : null, days: 8);
        var options = Options(SloBudgetingMethod.Occurrences, o =>
        {
            o.Window = TimeSpan.FromDays(31);
            o.Calendar = new SloCalendar { Start = new DateTime(2026, 1, 1), TimeZone = "UTC", Period = "1M" };
        });

        var result = SloGate.Judge(windows, options, "test");

        Assert.Equal(GateStatus.Passed, result.Status);
        Assert.Equal(5.5 * 1440 * 100, Value(result, "requests"));
        Assert.Equal(0, Value(result, "errors"));
        Assert.Contains("the 1M period from 2026-12-01 00:00 UTC to 2027-01-01 00:00 UTC", result.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1M", "2022-01-01 12:00", "America/New_York", "2026-12-06T12:00:00Z", "2026-12-01T17:00:00Z", "2027-01-01T17:00:00Z")]
    [InlineData("1d", "2026-03-01 00:00", "America/New_York", "2026-03-09T12:00:00Z", "2026-03-09T04:00:00Z", "2026-03-10T04:00:00Z")]    // after the clocks went forward
    [InlineData("1w", "2026-11-30 00:00", "Europe/Paris", "2026-12-06T22:59:00Z", "2026-11-29T23:00:00Z", "2026-12-06T23:00:00Z")]
    [InlineData("1Q", "2026-01-01 00:00", "UTC", "2026-12-06T12:00:00Z", "2026-10-01T00:00:00Z", "2027-01-01T00:00:00Z")]
    [InlineData("1Y", "2020-02-29 00:00", "UTC", "2026-03-01T00:00:00Z", "2026-02-28T00:00:00Z", "2027-02-28T00:00:00Z")]
    public void Calendar_periods_follow_the_clock_of_their_time_zone(string period, string start, string zone, string now, string from, string to)
    {
        var calendar = new SloCalendar { Start = DateTime.Parse(start, System.Globalization.CultureInfo.InvariantCulture), TimeZone = zone, Period = period };

        var (periodStart, periodEnd) = calendar.PeriodAt(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture), periodStart);
        Assert.Equal(DateTimeOffset.Parse(to, System.Globalization.CultureInfo.InvariantCulture), periodEnd);
    }

    [Fact]
    public void A_calendar_that_has_not_started_is_inconclusive_and_a_bad_one_is_refused()
    {
        var options = Options(SloBudgetingMethod.Occurrences, o => o.Calendar = new SloCalendar { Start = new DateTime(2027, 1, 1), Period = "1M" });
        var result = SloGate.Judge(Day(100), options, "test");
        Assert.Equal(GateStatus.Skipped, result.Status);
        Assert.Contains("calendar starts at 2027-01-01 00:00 UTC, after now", result.Summary, StringComparison.Ordinal);

        var problems = new List<string>();
        Options(SloBudgetingMethod.Occurrences, o => o.Calendar = new SloCalendar { Start = new DateTime(2026, 1, 1), Period = "1 month", TimeZone = "Mars/Olympus" })
            .Validate(problems);
        Assert.Contains(problems, p => p.StartsWith("Calendar.Period is a whole number and one of h, d, w, M, Q, Y", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Calendar.TimeZone 'Mars/Olympus' is not a time zone", StringComparison.Ordinal));
    }
}
