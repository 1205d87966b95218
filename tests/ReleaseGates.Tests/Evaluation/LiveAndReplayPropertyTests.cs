using CsCheck;
using ReleaseGates.Tests.Conditions;

namespace ReleaseGates.Tests.Evaluation;

/// <summary>
/// Whatever gates claim (statuses that contradict their evidence, measurements that lie, values that are not finite),
/// the live decision and the replay of the saved report agree, and no failed condition is ever part of a passing gate.
/// </summary>
public class LiveAndReplayPropertyTests
{
    private static readonly string[] Conditions = ["p(95) < 300ms warn 200ms", "rate <= 1%", "line >= 85%", "x == 3", "mean between 10ms and 200ms", "p(95) <= +10% floor 50ms"];

    private static readonly Gen<GateStatus> Statuses = Gen.Enum<GateStatus>();

    private static readonly Gen<Measurement> Measurements = Gen.Select(
        Gen.Int[0, Conditions.Length], ConditionPropertyTests.AnyDouble, Statuses, Gen.Bool, ConditionPropertyTests.AnyDouble).Select((c, value, claimed, withBaseline, baseline) =>
        {
            if (c == Conditions.Length)
            {
                return new Measurement("evidence", value, MetricUnit.Count) { Status = claimed };
            }

            var condition = GateCondition.Parse(Conditions[c]);
            var unit = Conditions[c].Contains('%', StringComparison.Ordinal) && !Conditions[c].Contains('+', StringComparison.Ordinal) ? MetricUnit.Ratio
                : Conditions[c].StartsWith('x') ? MetricUnit.Count : MetricUnit.Milliseconds;
            return new Measurement(condition.Metric, value, unit) { Condition = condition, Status = claimed, Baseline = withBaseline ? baseline : null };
        });

    private static readonly Gen<Finding> Findings = Gen.Enum<FindingSeverity>().Select(s => new Finding("test.finding", s, $"a {s} finding"));

    private static readonly Gen<(GateStatus Claimed, Measurement[] Measurements, Finding[] Findings, GateImportance Importance, bool ReportOnly)> Gates =
        Gen.Select(Statuses, Measurements.Array[0, 4], Findings.Array[0, 2], Gen.Enum<GateImportance>(), Gen.Int[0, 5].Select(i => i == 0));

    [Fact]
    public Task The_live_decision_and_the_replay_of_the_saved_report_always_agree()
        => Gates.Array[1, 5].SampleAsync(
            async gates =>
            {
                var builder = ReleaseGate.CreateBuilder();
                for (var i = 0; i < gates.Length; i++)
                {
                    var g = gates[i];
                    var result = new GateResult(g.Claimed, $"gate {i}", g.Measurements, g.Findings);
                    builder.AddGate($"g{i}", (_, _) => ValueTask.FromResult(result), o => { o.Importance = g.Importance; o.ReportOnly = g.ReportOnly; });
                }

                var live = await builder.EvaluateAsync(TestContext.Current.CancellationToken);
                var replayed = ReleaseReport.FromJson(live.ToJson()).Replay();
                Assert.Equal(live.Decision, replayed.Decision);
                Assert.Equal(live.Gates.Select(g => g.Status), replayed.Gates.Select(g => g.Status));

                foreach (var gate in live.Gates)
                {
                    foreach (var m in gate.Measurements.Where(m => m.Condition is not null))
                    {
                        // Every stored measurement status is its condition's verdict on its value, never the claim.
                        Assert.Equal(m.Condition!.Evaluate(m.Value, m.Unit, m.Baseline).Status, m.Status);
                        if (m.Status is GateStatus.Failed or GateStatus.Error)
                        {
                            Assert.True(gate.Status <= m.Status, $"{gate.Name} is {gate.Status} with {m.Name} {m.Status}");
                        }
                    }
                }
            },
            seed: "0000000005Zc", iter: 400, threads: 1);

    private static readonly DateOnly Today = new(2027, 3, 10);

    /// <summary>A waiver of gate 0–2 for the finding or one measurement name, expired or in force, optionally narrowed to a target that never matches.</summary>
    private static readonly Gen<(int Gate, int Name, int DaysLeft, bool Narrowed)> Waivers =
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, Conditions.Length], Gen.Int[-2, 2], Gen.Int[0, 4].Select(i => i == 0));

    [Fact]
    public async Task Waivers_only_ever_relax_a_decision_and_replay_to_the_same_one()
    {
        var relaxed = 0;
        // Gates that mostly claim nothing beyond their evidence, so that waivers have shortfalls to cover.
        var plain = Gen.Select(Gen.Int[0, 3], Statuses, Measurements.Array[0, 3], Findings.Array[0, 2], Gen.Enum<GateImportance>())
            .Select((i, claimed, m, f, importance) => (i < 3 ? GateStatus.Passed : claimed, m, f, importance, false));
        var applied = 0;
        await Gen.Select(plain.Array[1, 3], Waivers.Array[0, 6]).SampleAsync(
            async (gates, waivers) =>
            {
                var names = Conditions.Select(c => GateCondition.Parse(c).Metric).Append("test.finding").ToArray();
                var configured = waivers.Select((w, i) => new Waiver
                {
                    Id = $"W-{i}",
                    Gate = $"g{Math.Min(w.Gate, gates.Length - 1)}",
                    Finding = w.Name == Conditions.Length ? "test.finding" : null,
                    Measurement = w.Name == Conditions.Length ? null : names[w.Name],
                    Target = w.Narrowed ? "elsewhere" : null,
                    Reason = "r",
                    ApprovedBy = "a",
                    Expires = Today.AddDays(w.DaysLeft),
                }).ToArray();

                var without = await Evaluate(gates, []);
                var with = await Evaluate(gates, configured);
                var replayed = ReleaseReport.FromJson(with.ToJson()).Replay();

                Assert.True(with.Decision >= without.Decision, $"waivers made {without.Decision} into {with.Decision}");
                relaxed += with.Decision > without.Decision ? 1 : 0;
                applied += with.Waivers.Any(w => w.State == WaiverState.Applied) ? 1 : 0;
                Assert.Equal(with.Decision, replayed.Decision);
                Assert.Equal(with.Gates.Select(g => g.Status), replayed.Gates.Select(g => g.Status));
                Assert.Equal(with.Waivers.Select(w => (w.State, w.Matches)), replayed.Waivers.Select(w => (w.State, w.Matches)));
                for (var i = 0; i < with.Gates.Count; i++)
                {
                    var gate = with.Gates[i];
                    Assert.True(gate.Status >= without.Gates[i].Status, $"{gate.Name} got worse with waivers");
                    Assert.True(without.Gates[i].Status != GateStatus.Error || gate.Status == GateStatus.Error, $"{gate.Name}: an Error was waived");
                    var marks = gate.Measurements.Select(m => (m.WaivedBy, Name: m.Name)).Concat(gate.Findings.Select(f => (f.WaivedBy, Name: f.Code))).Where(x => x.WaivedBy is not null);
                    foreach (var (id, name) in marks)
                    {
                        // Every mark is an in-force waiver of this gate that names exactly this item.
                        var waiver = configured.Single(w => w.Id == id);
                        Assert.Equal(gate.Name, waiver.Gate);
                        Assert.True(waiver.IsInForceOn(Today));
                        Assert.Equal(name, waiver.Finding ?? waiver.Measurement);
                        Assert.Null(waiver.Target);
                    }
                }
            },
            seed: "0000000005Zc", iter: 600, threads: 1);

        // The property is about waivers that do something: enough of the samples must have changed a decision.
        Assert.True(relaxed >= 5 && applied >= 50, $"of 600 samples, {applied} had a waiver applied and {relaxed} a decision changed by one");
    }

    private static async Task<ReleaseReport> Evaluate((GateStatus Claimed, Measurement[] Measurements, Finding[] Findings, GateImportance Importance, bool ReportOnly)[] gates, Waiver[] waivers)
    {
        var builder = ReleaseGate.CreateBuilder().UseTimeProvider(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(Today, new TimeOnly(12, 0), TimeSpan.Zero)));
        for (var i = 0; i < gates.Length; i++)
        {
            var g = gates[i];
            var result = new GateResult(g.Claimed, $"gate {i}", g.Measurements, g.Findings);
            builder.AddGate($"g{i}", (_, _) => ValueTask.FromResult(result), o => { o.Importance = g.Importance; o.ReportOnly = g.ReportOnly; });
        }

        foreach (var waiver in waivers)
        {
            builder.AddWaiver(waiver);
        }

        return await builder.EvaluateAsync(TestContext.Current.CancellationToken);
    }
}
