using ReleaseGates.Tests.Support;

namespace ReleaseGates.Tests.Gates.Coverage;

public class CoverageGateTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<GateReport> Evaluate(Action<CoverageGateOptions> configure, ReleaseReport? baseline = null)
    {
        var evaluator = ReleaseGate.CreateBuilder().AddCoverage("coverage", configure).Build();
        var request = new EvaluationRequest { Baseline = baseline };
        return (await evaluator.EvaluateAsync(request, Ct)).Gates[0];
    }

    private static double Value(GateReport gate, string name, string? target = null)
        => gate.Measurements.Single(m => m.Name == name && m.Target == target).Value;

    // Figures derived independently of this library with a short Python script over each file (ElementTree / line split):
    // Cobertura: class-level <line> elements plus method-level lines missing at class level, keyed by (package, filename,
    //   number), covered when hits > 0; branches from condition-coverage "(a/b)". The results equal the root attributes
    //   lines-covered/lines-valid and branches-covered/branches-valid of all three files.
    // OpenCover: every line sl..el of each SequencePoint of non-skipped methods that have sequence points, vc summed;
    //   one branch per BranchPoint; a method counts covered if any of its points has vc > 0. Equals the Summary element.
    // lcov: DA lines summed per line; BRDA taken '-' or 0 is not covered; FNDA hits > 0 covers a function.
    // JaCoCo: <line> with mi + ci > 0 is coverable, ci > 0 covered; equals the report's LINE counter (26 covered, 12 missed).
    [Theory]
    [InlineData("sample-coverlet.cobertura.xml", 90, 201, 5, 28)]
    [InlineData("sample-coverlet.opencover.xml", 90, 201, 5, 28)]
    [InlineData("sample-coverlet.lcov.info", 90, 201, 5, 28)]
    [InlineData("reportgenerator-coverlet.cobertura.xml", 156, 255, 9, 14)]
    [InlineData("reportgenerator-coverlet.opencover.xml", 156, 255, 9, 14)]
    [InlineData("reportgenerator-csharp.lcov.info", 118, 184, 5, 8)]
    [InlineData("java-cobertura-2.1.1-doctype.xml", 24, 36, 1, 4)]
    [InlineData("jacoco-0.8.3.xml", 26, 38, 1, 4)]
    public async Task Reads_every_fixture_as_derived_by_hand(string file, int coveredLines, int coverableLines, int coveredBranches, int branches)
    {
        var gate = await Evaluate(o => { o.Files.Add(Fixtures.Coverage(file)); o.MinimumLineRate = 0; o.CoverletTruncation = false; });
        Assert.Equal(coveredLines, Value(gate, "covered-lines"));
        Assert.Equal(coverableLines, Value(gate, "coverable-lines"));
        Assert.Equal((double)coveredLines / coverableLines, Value(gate, "line"), 12);
        Assert.Equal((double)coveredBranches / branches, Value(gate, "branch"), 12);
        Assert.Equal(coveredBranches, Value(gate, "covered-branches"));
        Assert.Equal(branches, Value(gate, "total-branches"));
        Assert.Contains(file, gate.Summary, StringComparison.Ordinal);   // the report is named, not counted
    }

    [Theory]
    [InlineData("sample-coverlet.opencover.xml", 20, 39)]
    [InlineData("sample-coverlet.lcov.info", 20, 39)]
    [InlineData("reportgenerator-coverlet.opencover.xml", 35, 67)]
    [InlineData("jacoco-0.8.3.xml", 9, 18)]
    public async Task Counts_methods_as_the_formats_define_them(string file, int covered, int total)
    {
        var gate = await Evaluate(o => { o.Files.Add(Fixtures.Coverage(file)); o.CoverletTruncation = false; o.MinimumCoverableLines = 0; });
        Assert.Equal((double)covered / total, Value(gate, "method"), 12);
    }

    // dotCover: ReportGenerator 5.6.0 (`reportgenerator -reporttypes:TextSummary`, run on 2026-12-06) says of the C#
    // report 158 of 221 lines and 43 of 63 methods, of the F# one 24 of 38 lines and 13 of 23 methods, and of the three
    // reports in one file 125 of 194 lines and 33 of 55 methods. For F# it moves the closures of the module code compiled
    // into <StartupCode$…> to the nearest class of the same file and drops the rest; this gate counts all of it
    // (docs/gates/coverage.md): every Statement's lines, 29 of 41 lines (counted by hand from the file) and 17 of 26 methods.
    [Theory]
    [InlineData("reportgenerator-dotcover.xml", 158, 221, 43, 63)]
    [InlineData("reportgenerator-fsharp-dotcover.xml", 29, 41, 17, 26)]
    [InlineData("reportgenerator-multi-dotcover.xml", 125, 194, 33, 55)]
    public async Task Reads_dotcover_lines_and_methods_as_reportgenerator_does(string file, int coveredLines, int coverableLines, int coveredMethods,
        int methods)
    {
        var gate = await Evaluate(o =>
        {
            o.Files.Add(Fixtures.Coverage(file));
            o.MinimumLineRate = 0;
            o.MinimumCoverableLines = 0;
            o.CoverletTruncation = false;
        });
        Assert.Equal(coveredLines, Value(gate, "covered-lines"));
        Assert.Equal(coverableLines, Value(gate, "coverable-lines"));
        Assert.Equal((double)coveredMethods / methods, Value(gate, "method"), 12);
    }

    [Fact]
    public async Task Dotcover_statement_coverage_equals_dotcovers_own_totals_and_takes_conditions()
    {
        // The report's root says CoveredStatements="163" TotalStatements="234" (no top-level compiler-generated type in it).
        var gate = await Evaluate(o =>
        {
            o.Files.Add(Fixtures.Coverage("reportgenerator-dotcover.xml"));
            o.MinimumLineRate = 0;
            o.CoverletTruncation = false;
            o.Conditions.Add("statement >= 75%");
        });

        var statement = gate.Measurements.Single(m => m.Name == "statement");
        Assert.Equal(163.0 / 234, statement.Value, 12);
        Assert.Equal(GateStatus.Failed, statement.Status);              // 69.7 % against 75 %
        Assert.DoesNotContain(gate.Measurements, m => m.Name == "statement" && m.Value == 1);
    }

    [Fact]
    public async Task Formats_without_statements_have_no_statement_rate()
    {
        var gate = await Evaluate(o => { o.Files.Add(Fixtures.Coverage("sample-coverlet.cobertura.xml")); o.MinimumLineRate = 0; });
        Assert.DoesNotContain(gate.Measurements, m => m.Name == "statement");
    }

    [Fact]
    public async Task A_clover_report_is_refused_by_name_not_read_as_cobertura()
    {
        var gate = await Evaluate(o => o.Files.Add(Fixtures.Coverage("reportgenerator-openclover-4.3.1.xml")));
        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.Contains("a Clover report (<coverage clover=…> with <project>), which this gate does not read", gate.Summary, StringComparison.Ordinal);
        Assert.Contains("dotCover (<Root>)", gate.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_run_agrees_across_cobertura_opencover_and_lcov()
    {
        var rates = new List<double>();
        foreach (var file in new[] { "sample-coverlet.cobertura.xml", "sample-coverlet.opencover.xml", "sample-coverlet.lcov.info" })
        {
            rates.Add(Value(await Evaluate(o => o.Files.Add(Fixtures.Coverage(file))), "line"));
        }

        Assert.All(rates, r => Assert.Equal(rates[0], r));
    }

    [Theory]
    [InlineData(0.4477, GateStatus.Passed)]   // 90/201 = 0.447761…, truncated as coverlet does: 0.4477
    [InlineData(0.4478, GateStatus.Failed)]
    public async Task Fails_when_line_rate_is_below_the_minimum_with_coverlet_truncation(double minimum, GateStatus expected)
    {
        var gate = await Evaluate(o => { o.Files.Add(Fixtures.Coverage("sample-coverlet.cobertura.xml")); o.MinimumLineRate = minimum; });
        Assert.Equal(expected, gate.Status);
        Assert.Equal(0.4477, Value(gate, "line"));
    }

    [Fact]
    public async Task Warns_between_the_warning_and_minimum_rates()
    {
        var gate = await Evaluate(o => { o.Files.Add(Fixtures.Coverage("reportgenerator-coverlet.cobertura.xml")); o.MinimumLineRate = 0.6; o.WarningLineRate = 0.85; });
        Assert.Equal(GateStatus.Warning, gate.Status);
        Assert.Equal("line >= 60% warn 85%", gate.Measurements.Single(m => m.Name == "line").Condition!.ToString());
    }

    [Fact]
    public async Task Merging_reports_counts_a_line_covered_in_any_of_them()
    {
        using var folder = Fixtures.CreateTempFolder();
        folder.Write("a.info", "SF:/src/Calc.cs\nDA:1,1\nDA:2,0\nDA:3,0\nend_of_record\n");
        folder.Write("b.info", "SF:/src/Calc.cs\nDA:2,4\nDA:3,0\nDA:4,0\nend_of_record\n");
        var gate = await Evaluate(o => { o.Files.Add(Path.Combine(folder.Path, "*.info")); o.MinimumCoverableLines = 1; });

        // Lines 1–4 are coverable in one report or the other; 1 (a) and 2 (b) ran.
        Assert.Equal(4, Value(gate, "coverable-lines"));
        Assert.Equal(2, Value(gate, "covered-lines"));
    }

    [Fact]
    public async Task A_library_smaller_than_the_minimum_is_skipped_with_the_option_named()
    {
        using var folder = Fixtures.CreateTempFolder();
        folder.Write("small.info", "SF:/src/Calc.cs\nDA:1,1\nDA:2,0\nend_of_record\n");

        var gate = await Evaluate(o => o.Files.Add(Path.Combine(folder.Path, "small.info")));

        Assert.Equal(GateStatus.Skipped, gate.Status);
        Assert.Contains("CoverageGateOptions.MinimumCoverableLines", gate.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Minimum_statistic_holds_every_module_to_the_threshold()
    {
        using var folder = Fixtures.CreateTempFolder();
        folder.Write("r.xml", """
            <coverage line-rate="0.5" branch-rate="0" version="1.9" timestamp="1">
              <packages>
                <package name="Good"><classes><class name="Good.A" filename="A.cs"><lines>
                  <line number="1" hits="1" branch="False"/><line number="2" hits="1" branch="False"/></lines></class></classes></package>
                <package name="Bad"><classes><class name="Bad.B" filename="B.cs"><lines>
                  <line number="1" hits="0" branch="False"/><line number="2" hits="1" branch="False"/></lines></class></classes></package>
              </packages>
            </coverage>
            """);
        var total = await Evaluate(o => { o.Files.Add(Path.Combine(folder.Path, "r.xml")); o.MinimumLineRate = 0.7; o.MinimumCoverableLines = 1; });
        Assert.Equal(0.75, Value(total, "line"));
        Assert.Equal(GateStatus.Passed, total.Status);

        var minimum = await Evaluate(o => { o.Files.Add(Path.Combine(folder.Path, "r.xml")); o.MinimumLineRate = 0.7; o.MinimumCoverableLines = 1; o.Statistic = CoverageStatistic.Minimum; });
        Assert.Equal(0.5, Value(minimum, "line", "minimum over modules"));
        Assert.Equal(GateStatus.Failed, minimum.Status);

        var average = await Evaluate(o => { o.Files.Add(Path.Combine(folder.Path, "r.xml")); o.MinimumLineRate = 0.7; o.MinimumCoverableLines = 1; o.Statistic = CoverageStatistic.Average; });
        Assert.Equal(0.75, Value(average, "line", "average over modules"));

        var excluded = await Evaluate(o => { o.Files.Add(Path.Combine(folder.Path, "r.xml")); o.MinimumLineRate = 0.7; o.MinimumCoverableLines = 1; o.Statistic = CoverageStatistic.Minimum; o.ExcludeModules.Add("Bad"); });
        Assert.Equal(GateStatus.Passed, excluded.Status);
    }

    [Fact]
    public async Task File_and_class_filters_narrow_what_counts()
    {
        var all = await Evaluate(o => o.Files.Add(Fixtures.Coverage("reportgenerator-coverlet.cobertura.xml")));
        var files = await Evaluate(o => { o.Files.Add(Fixtures.Coverage("reportgenerator-coverlet.cobertura.xml")); o.ExcludeFiles.Add("**/Partial*.cs"); o.MinimumCoverableLines = 1; });
        var classes = await Evaluate(o => { o.Files.Add(Fixtures.Coverage("reportgenerator-coverlet.cobertura.xml")); o.IncludeClasses.Add("Test.Partial*"); o.MinimumCoverableLines = 1; });
        Assert.True(Value(files, "coverable-lines") < Value(all, "coverable-lines"));
        Assert.True(Value(classes, "coverable-lines") < Value(all, "coverable-lines"));
        Assert.True(Value(classes, "coverable-lines") > 0);
    }

    [Fact]
    public async Task Too_few_coverable_lines_is_inconclusive_never_a_pass()
    {
        using var folder = Fixtures.CreateTempFolder();
        folder.Write("tiny.info", "SF:/src/A.cs\nDA:1,1\nend_of_record\n");
        var gate = await Evaluate(o => { o.Files.Add(Path.Combine(folder.Path, "tiny.info")); o.MinimumLineRate = 0.5; });
        Assert.Equal(GateStatus.Skipped, gate.Status);
        Assert.Contains("fewer than the 20 needed", gate.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worst_files_are_listed_with_their_uncovered_ranges()
    {
        var gate = await Evaluate(o => { o.Files.Add(Fixtures.Coverage("sample-coverlet.lcov.info")); o.WorstFilesListed = 2; });
        var worst = gate.Findings.Where(f => f.Code == "coverage.worst-file").ToList();
        Assert.Equal(2, worst.Count);
        Assert.Contains("uncovered:", worst[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Per_file_minimum_fails_files_below_it()
    {
        var gate = await Evaluate(o => { o.Files.Add(Fixtures.Coverage("sample-coverlet.lcov.info")); o.MinimumFileLineRate = 0.5; o.MinimumCoverableLines = 5; });
        Assert.Equal(GateStatus.Failed, gate.Status);
        Assert.Contains(gate.Findings, f => f.Code == "coverage.file-below-minimum");
    }

    [Fact]
    public async Task Relative_condition_compares_with_the_baseline_report()
    {
        var baseline = await ReleaseGate.CreateBuilder()
            .AddGate("coverage", (_, _) => ValueTask.FromResult(GateResult.Passed("old", [new Measurement("line", 0.45, MetricUnit.Ratio)])))
            .EvaluateAsync(Ct);
        var ok = await Evaluate(o => { o.Files.Add(Fixtures.Coverage("sample-coverlet.lcov.info")); o.Conditions.Add("line >= -0.005"); }, baseline);
        Assert.Equal(GateStatus.Passed, ok.Status);     // 0.4477 >= 0.45 - 0.005
        var strict = await Evaluate(o => { o.Files.Add(Fixtures.Coverage("sample-coverlet.lcov.info")); o.Conditions.Add("line >= -0.001"); }, baseline);
        Assert.Equal(GateStatus.Failed, strict.Status); // 0.4477 < 0.449
        var noBaseline = await Evaluate(o => { o.Files.Add(Fixtures.Coverage("sample-coverlet.lcov.info")); o.Conditions.Add("line >= -0.001"); });
        Assert.Equal(GateStatus.Skipped, noBaseline.Measurements.Single(m => m.Condition is not null).Status);
    }

    [Fact]
    public async Task Diff_coverage_counts_only_changed_coverable_lines()
    {
        using var folder = Fixtures.CreateTempFolder();
        folder.Write("c.info", "SF:/repo/src/Calc.cs\n" + string.Concat(Enumerable.Range(1, 30).Select(i => $"DA:{i},{(i is >= 12 and <= 18 ? 0 : 1)}\n")) + "end_of_record\n");
        folder.Write("change.diff", """
            diff --git a/src/Calc.cs b/src/Calc.cs
            --- a/src/Calc.cs
            +++ b/src/Calc.cs
            @@ -9,2 +10,10 @@ class Calc
            +        a();
            +        b();
            +        c();
            +        d();
            +        e();
            +        f();
             unchanged
            +        g();
            +        h();
            """);
        var gate = await Evaluate(o =>
        {
            o.Files.Add(Path.Combine(folder.Path, "c.info"));
            o.Diff = new DiffCoverageOptions { DiffFile = Path.Combine(folder.Path, "change.diff"), MinimumLineRate = 0.5 };
        });

        // Added lines 10–15 and 17–18; of those, 12–15 and 17–18 are uncovered: 2 of 8 covered.
        Assert.Equal(0.25, Value(gate, "diff-line"));
        Assert.Equal(8, Value(gate, "diff-coverable-lines"));
        Assert.Equal(GateStatus.Failed, gate.Status);
        Assert.Equal(["src/Calc.cs:12-15", "src/Calc.cs:17-18"], gate.Findings.Where(f => f.Code == "coverage.diff-uncovered").Select(f => f.Target));
    }

    [Theory]
    [InlineData("<coverage><packages><package name=\"p\"><classes><class name=\"c\" filename=\"f.cs\"><lines><line number=\"1\" hits=\"x\"/>", "line 1", "hits 'x'")]
    [InlineData("<coverage><packages>", "bad.xml", "malformed XML")]
    [InlineData("<html/>", "bad.xml", "not a coverage report")]
    [InlineData("", "bad.xml", "empty")]
    [InlineData("SF:/a.cs\nDA:1\nend_of_record\n", "line 2", "DA:<line>,<hits>")]
    [InlineData("<!DOCTYPE coverage [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><coverage><packages><package name=\"&c;\"/></packages></coverage>", "bad.xml", "entity")]
    [InlineData("<!DOCTYPE coverage [<!ENTITY x SYSTEM \"file:///etc/hostname\">]><coverage><packages><package name=\"&x;\"/></packages></coverage>", "bad.xml", "entity")]
    public async Task Bad_reports_are_errors_naming_the_file_and_line(string content, string where, string what)
    {
        using var folder = Fixtures.CreateTempFolder();
        var path = folder.Write("bad.xml", content);
        var gate = await Evaluate(o => o.Files.Add(path));
        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.Contains("bad.xml", gate.Summary, StringComparison.Ordinal);
        Assert.Contains(where, gate.Summary, StringComparison.Ordinal);
        Assert.Contains(what, gate.Summary, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("<coverage line-rate=\"1\" branch-rate=\"1\" version=\"1.9\" timestamp=\"1\"><packages/></coverage>")]
    [InlineData("TN:\nend_of_record\n")]
    public async Task A_report_with_zero_coverable_lines_is_an_error_never_a_pass(string content)
    {
        using var folder = Fixtures.CreateTempFolder();
        var path = folder.Write("empty.xml", content);
        var gate = await Evaluate(o => { o.Files.Add(path); o.MinimumCoverableLines = 0; o.MinimumLineRate = 0.5; });
        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.Contains("no coverable lines", gate.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_coverage_can_run_git_diff_against_a_base()
    {
        using var folder = Fixtures.CreateTempFolder();
        void Git(params string[] args)
        {
            var start = new System.Diagnostics.ProcessStartInfo("git") { WorkingDirectory = folder.Path, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false" }.Concat(args))
            {
                start.ArgumentList.Add(a);
            }

            using var p = System.Diagnostics.Process.Start(start)!;
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, p.StandardError.ReadToEnd());
        }

        Git("init", "-q", "-b", "main");
        folder.Write("src/Calc.cs", string.Concat(Enumerable.Range(1, 10).Select(i => $"line {i}\n")));
        Git("add", ".");
        Git("commit", "-q", "-m", "base");
        Git("checkout", "-q", "-b", "feature");
        folder.Write("src/Calc.cs", string.Concat(Enumerable.Range(1, 10).Select(i => $"line {i}\n")) + "new 11\nnew 12\n");
        Git("commit", "-q", "-am", "change");
        folder.Write("c.info", "SF:" + Path.Combine(folder.Path, "src", "Calc.cs") + "\n" + string.Concat(Enumerable.Range(1, 30).Select(i => $"DA:{i},{(i == 12 ? 0 : 1)}\n")) + "end_of_record\n");

        var gate = await Evaluate(o =>
        {
            o.BaseDirectory = folder.Path;
            o.Files.Add("c.info");
            o.Diff = new DiffCoverageOptions { GitBase = "main", MinimumLineRate = 0.4 };
        });
        Assert.Equal(0.5, Value(gate, "diff-line"));        // lines 11 and 12 changed; 11 covered
        Assert.Equal(["src/Calc.cs:12"], gate.Findings.Where(f => f.Code == "coverage.diff-uncovered").Select(f => f.Target));
        var missing = await Evaluate(o => { o.BaseDirectory = folder.Path; o.Files.Add("c.info"); o.Diff = new DiffCoverageOptions { GitBase = "no-such-ref" }; });
        Assert.Equal(GateStatus.Error, missing.Status);
        Assert.Contains("no-such-ref", missing.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_glob_that_matches_nothing_is_an_error()
    {
        var gate = await Evaluate(o => o.Files.Add("/nonexistent-releasegates/**/coverage.cobertura.xml"));
        Assert.Equal(GateStatus.Error, gate.Status);
    }

    [Fact]
    public async Task Globs_find_reports_in_nested_folders()
    {
        var gate = await Evaluate(o => { o.BaseDirectory = Fixtures.Root; o.Files.Add("**/sample-coverlet.cobertura.xml"); });
        Assert.Equal(201, Value(gate, "coverable-lines"));
    }

    [Fact]
    public void Invalid_options_are_all_listed_at_registration()
    {
        var ex = Assert.Throws<ReleaseGatesConfigurationException>(() => ReleaseGate.CreateBuilder().AddCoverage("c", o =>
        {
            o.MinimumLineRate = 85;
            o.Conditions.Add("p(95) < 3ms");
            o.Diff = new DiffCoverageOptions();
        }));
        Assert.Equal(4, ex.Problems.Count);
    }

    [Fact]
    public async Task An_opencover_sequence_point_spanning_two_billion_lines_is_an_error_not_a_two_billion_step_loop()
    {
        using var folder = Fixtures.CreateTempFolder();
        var xml = File.ReadAllText(Fixtures.Coverage("sample-coverlet.opencover.xml"));
        var at = xml.IndexOf(" el=\"", StringComparison.Ordinal);
        var end = xml.IndexOf('"', at + 5);
        var path = folder.Write("hostile.opencover.xml", xml[..at] + " el=\"2147483647" + xml[end..]);
        var gate = await Evaluate(o => o.Files.Add(path));
        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.Contains("hostile.opencover.xml, line", gate.Summary, StringComparison.Ordinal);
        Assert.Contains("to 2147483647, more than 10,000 lines", gate.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sample-coverlet.cobertura.xml", "sample-coverlet.opencover.xml", 90, 201)]
    [InlineData("reportgenerator-coverlet.cobertura.xml", "reportgenerator-coverlet.opencover.xml", 156, 255)]
    public async Task One_run_in_two_formats_merges_into_the_same_files_not_twice_as_many(string cobertura, string openCover, int covered, int coverable)
    {
        var gate = await Evaluate(o => { o.Files.Add(Fixtures.Coverage(cobertura)); o.Files.Add(Fixtures.Coverage(openCover)); o.MinimumLineRate = 0; o.CoverletTruncation = false; });
        Assert.Equal(covered, Value(gate, "covered-lines"));
        Assert.Equal(coverable, Value(gate, "coverable-lines"));
    }

    [Theory]
    [InlineData("tmp/x/File.cs", new[] { "/" }, "/tmp/x/File.cs")]
    [InlineData("source\\repos\\App\\Program.cs", new[] { "C:\\Users\\me\\" }, "C:\\Users\\me\\source\\repos\\App\\Program.cs")]
    [InlineData("src/a.py", new[] { "/home/ci/project" }, "/home/ci/project/src/a.py")]
    [InlineData("/abs/File.cs", new[] { "/" }, "/abs/File.cs")]
    [InlineData("C:\\abs\\File.cs", new[] { "/" }, "C:\\abs\\File.cs")]
    [InlineData("File.cs", new string[0], "File.cs")]
    public void Cobertura_file_names_resolve_against_the_sources(string fileName, string[] sources, string expected)
        => Assert.Equal(expected, CoberturaReader.Resolve(fileName, sources));
}
