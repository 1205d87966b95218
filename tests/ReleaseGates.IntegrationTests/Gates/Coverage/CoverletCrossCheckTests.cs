using System.Diagnostics;
using System.Xml.Linq;

namespace ReleaseGates.IntegrationTests.Gates.Coverage;

/// <summary>
/// Runs coverlet for real (samples/CoverageSample under <c>dotnet test --collect "XPlat Code Coverage"</c>, writing
/// Cobertura, OpenCover and lcov for the same run) and checks the gate reads the same rates from all three, equal to
/// coverlet's own totals.
/// </summary>
public class CoverletCrossCheckTests
{
    [Fact]
    public async Task Line_and_branch_rates_agree_across_formats_and_with_coverlets_totals()
    {
        var ct = TestContext.Current.CancellationToken;
        var root = ReleaseGates.Tests.Support.Repository.Root;
        var results = Path.Combine(Path.GetTempPath(), "releasegates-coverlet-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = Path.Combine(root, "samples", "CoverageSample", "Calculator.Tests"),
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            // A fresh build in its own artifacts folder, with local source paths: under CI=true the repository builds
            // deterministically (/_/ paths), and coverlet then finds no sources and reports nothing.
            foreach (var a in new[]
            {
                "test", "--collect", "XPlat Code Coverage;Format=cobertura,opencover,lcov", "--results-directory", results,
                "--artifacts-path", Path.Combine(results, "artifacts"), "-p:ContinuousIntegrationBuild=false", "-p:DeterministicSourcePaths=false",
            })
            {
                start.ArgumentList.Add(a);
            }

            // The outer test host's variables would make the inner run report to it.
            foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase) || k.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase)).ToList())
            {
                start.Environment.Remove(key);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(ct);
            var error = process.StandardError.ReadToEndAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromMinutes(5));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"dotnet test under coverlet failed ({process.ExitCode}):\n{await output}\n{await error}");

            string Find(string name) => Directory.EnumerateFiles(results, name, SearchOption.AllDirectories).Single(f => !f.Contains("artifacts", StringComparison.Ordinal));
            var cobertura = Find("coverage.cobertura.xml");
            var opencover = Find("coverage.opencover.xml");
            var lcov = Find("coverage.info");

            // coverlet's own totals, from the root of its Cobertura file and the Summary of its OpenCover file.
            var coverage = XDocument.Load(cobertura).Root!;
            var linesCovered = (int)coverage.Attribute("lines-covered")!;
            var linesValid = (int)coverage.Attribute("lines-valid")!;
            var branchesCovered = (int)coverage.Attribute("branches-covered")!;
            var branchesValid = (int)coverage.Attribute("branches-valid")!;
            var summary = XDocument.Load(opencover).Root!.Element("Summary")!;
            Assert.Equal(linesValid, (int)summary.Attribute("numSequencePoints")!);
            Assert.True(linesValid >= 20 && linesCovered < linesValid, "the sample should be partly covered");

            foreach (var file in new[] { cobertura, opencover, lcov })
            {
                var report = await ReleaseGate.CreateBuilder()
                    .AddCoverage("coverage", o => { o.Files.Add(file); o.CoverletTruncation = false; o.ExcludeModules.Add("*.Tests"); })
                    .EvaluateAsync(ct);
                var gate = report.Gates[0];
                Assert.True(gate.Status == GateStatus.Passed, $"{Path.GetFileName(file)}: {gate.Summary}");
                double Value(string name) => gate.Measurements.Single(m => m.Name == name && m.Target is null).Value;
                Assert.Equal(linesCovered, Value("covered-lines"));
                Assert.Equal(linesValid, Value("coverable-lines"));
                Assert.Equal((double)branchesCovered / branchesValid, Value("branch"), 12);
            }
        }
        finally
        {
            if (Directory.Exists(results))
            {
                Directory.Delete(results, recursive: true);
            }
        }
    }
}
