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
}
