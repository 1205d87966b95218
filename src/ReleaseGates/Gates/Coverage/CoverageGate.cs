using System.Diagnostics;
using System.Text;
using ReleaseGates.IO;

namespace ReleaseGates;

/// <summary>
/// Reads coverage reports (Cobertura, OpenCover, lcov, JaCoCo; several merged), and holds line, branch and method rates
/// to thresholds, per module and per file where asked, and optionally the coverage of changed lines only.
/// </summary>
internal sealed class CoverageGate(CoverageGateOptions options) : IReleaseGate
{
    public async ValueTask<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        var baseDirectory = options.BaseDirectory ?? Directory.GetCurrentDirectory();
        var (files, none) = EvidenceFiles.Expand(options.Files, baseDirectory, "coverage reports");
        if (none is not null)
        {
            return none;
        }

        var includeClasses = options.IncludeClasses.Select(FileGlob.ToRegex).ToArray();
        var excludeClasses = options.ExcludeClasses.Select(FileGlob.ToRegex).ToArray();
        bool IncludeClass(string name) => (includeClasses.Length == 0 || includeClasses.Any(r => r.IsMatch(name))) && !excludeClasses.Any(r => r.IsMatch(name));
        var data = new CoverageData();
        var unreadable = await EvidenceFiles.ReadEachAsync(files,
            async file => data.Merge(await CoverageReportReader.ReadAsync(file, options.Format, IncludeClass,
            cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
        if (unreadable is not null)
        {
            return unreadable;
        }

        Dictionary<string, SortedSet<int>>? diff = null;
        if (options.Diff is { } diffOptions)
        {
            try
            {
                diff = await ReadDiffAsync(diffOptions, baseDirectory, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ReportFormatException or IOException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                return GateResult.Error("Diff coverage: " + ex.Message, ex);
            }
        }

        var included = Filter(data.Files);
        if (included.Sum(f => f.CoverableLines) == 0)
        {
            // Nothing to measure is not 100 %: an empty report, or filters that exclude everything, cannot pass.
            return GateResult.Error($"The coverage reports {string.Join(", ", files.Select(Path.GetFileName))} have no coverable lines{(options.IncludeModules.Count + options.ExcludeModules.Count + options.IncludeFiles.Count + options.ExcludeFiles.Count + options.IncludeClasses.Count + options.ExcludeClasses.Count > 0 ? " after the include and exclude filters" : "")}.");
        }

        return Judge(included, options, context.Baseline, diff, FileGlob.Describe(files, baseDirectory));
    }

    private List<FileCoverage> Filter(IEnumerable<FileCoverage> files)
    {
        var include = options.IncludeModules.Select(FileGlob.ToRegex).ToArray();
        var exclude = options.ExcludeModules.Select(FileGlob.ToRegex).ToArray();
        var includeFiles = options.IncludeFiles.Select(FileGlob.ToRegex).ToArray();
        var excludeFiles = options.ExcludeFiles.Select(FileGlob.ToRegex).ToArray();
        static bool Matches(System.Text.RegularExpressions.Regex r, FileCoverage f) => r.IsMatch(f.Path) || r.IsMatch(f.Path.TrimStart('/'));
        return files.Where(f => (include.Length == 0 || include.Any(r => r.IsMatch(f.Module)))
                                && !exclude.Any(r => r.IsMatch(f.Module))
                                && (includeFiles.Length == 0 || includeFiles.Any(r => Matches(r, f)))
                                && !excludeFiles.Any(r => Matches(r, f)))
            .Where(f => f.Lines.Count > 0 || f.Methods.Count > 0)
            .ToList();
    }

    /// <summary>The verdict as a pure function of the coverage data and options.</summary>
    internal static GateResult Judge(IReadOnlyList<FileCoverage> files, CoverageGateOptions options, GateBaseline? baseline,
        Dictionary<string, SortedSet<int>>? diff, string reports)
    {
        var totals = CoverageCounts.Of(files);
        var modules = files.GroupBy(f => f.Module, StringComparer.Ordinal).Select(g => (Module: g.Key, Counts: CoverageCounts.Of(g))).ToList();
        var measurements = new List<Measurement>();
        var findings = new List<Finding>();
        if (totals.CoverableLines < options.MinimumCoverableLines)
        {
            return GateResult.Skipped(
                $"{totals.CoverableLines} coverable lines in {reports}: fewer than the {options.MinimumCoverableLines} needed to judge coverage (lower {nameof(CoverageGateOptions)}.{nameof(CoverageGateOptions.MinimumCoverableLines)} for a small library)",
                [new Measurement("coverable-lines", totals.CoverableLines, MetricUnit.Count)]);
        }

        double Rate(string metric)
        {
            double Truncate(double r) => options.CoverletTruncation ? Math.Floor(r * 10000) / 10000 : r;
            double RateOf((long Covered, long Total) c) => c.Total == 0 ? 1 : (double)c.Covered / c.Total;
            return options.Statistic switch
            {
                CoverageStatistic.Minimum => modules.Count == 0 ? 0 : modules.Min(m => Truncate(RateOf(m.Counts.For(metric)))),
                CoverageStatistic.Average => modules.Count == 0 ? 0 : Truncate(modules.Average(m => Truncate(RateOf(m.Counts.For(metric))))),
                _ => Truncate(RateOf(totals.For(metric))),
            };
        }

        var conditions = new List<GateCondition>();
        void Threshold(string metric, double? minimum, double? warning)
        {
            if (minimum is null && warning is null)
            {
                return;
            }

            var condition = GateCondition.AtLeast(metric, MetricUnitFormat.RatioToPercent(minimum ?? 0), MetricUnit.Percent);
            conditions.Add(warning is { } w ? condition.WithWarning(MetricUnitFormat.RatioToPercent(w), MetricUnit.Percent) : condition);
        }

        Threshold("line", options.MinimumLineRate, options.WarningLineRate);
        Threshold("branch", options.MinimumBranchRate, options.WarningBranchRate);
        Threshold("method", options.MinimumMethodRate, options.WarningMethodRate);
        conditions.AddRange(options.Conditions.Select(GateCondition.Parse));
        var target = options.Statistic == CoverageStatistic.Total ? null : options.Statistic.ToString().ToLowerInvariant() + " over modules";
        foreach (var condition in conditions)
        {
            var value = Rate(condition.Metric);
            var baselineValue = baseline?.Find(condition.Metric, target)?.Value;
            measurements.Add(Measurement.Evaluate(condition.Metric, value, MetricUnit.Ratio, condition, baselineValue) with { Target = target });
        }

        foreach (var metric in CoverageGateOptions.Metrics.Where(m => !conditions.Any(c => c.Metric == m)))
        {
            if (totals.For(metric).Total > 0)
            {
                measurements.Add(new Measurement(metric, Rate(metric), MetricUnit.Ratio) { Target = target });
            }
        }

        measurements.Add(new Measurement("covered-lines", totals.CoveredLines, MetricUnit.Count));
        measurements.Add(new Measurement("coverable-lines", totals.CoverableLines, MetricUnit.Count));
        measurements.Add(new Measurement("covered-branches", totals.CoveredBranches, MetricUnit.Count));
        measurements.Add(new Measurement("total-branches", totals.TotalBranches, MetricUnit.Count));

        if (options.MinimumModuleLineRate is { } moduleMinimum)
        {
            var condition = GateCondition.AtLeast("line", MetricUnitFormat.RatioToPercent(moduleMinimum), MetricUnit.Percent);
            foreach (var (module, counts) in modules.Where(m => m.Counts.CoverableLines > 0))
            {
                var rate = (double)counts.CoveredLines / counts.CoverableLines;
                measurements.Add(Measurement.Evaluate("line", options.CoverletTruncation ? Math.Floor(rate * 10000) / 10000 : rate,
                    MetricUnit.Ratio, condition) with { Target = "module " + module });
            }
        }

        if (options.MinimumFileLineRate is { } fileMinimum)
        {
            foreach (var file in files.Where(f => f.CoverableLines >= Math.Max(1, options.MinimumCoverableLines)))
            {
                var rate = (double)file.CoveredLines / file.CoverableLines;
                if (rate < fileMinimum)
                {
                    findings.Add(new Finding(CoverageGateConstants.CoverageFileBelowMinimum, FindingSeverity.Error,
                        $"{file.CoveredLines} of {file.CoverableLines} lines covered ({rate:P1}), below the per-file minimum {fileMinimum:P0}") { Target = file.Path });
                }
            }
        }

        foreach (var file in files.Where(f => f.CoverableLines > 0).OrderBy(f =>
            (double)f.CoveredLines / f.CoverableLines).ThenByDescending(f => f.CoverableLines).Take(options.WorstFilesListed))
        {
            var uncovered = file.Lines.Where(l => l.Value.Hits == 0).Select(l => l.Key).Order();
            findings.Add(new Finding(CoverageGateConstants.CoverageWorstFile, FindingSeverity.Info,
                $"{file.CoveredLines} of {file.CoverableLines} lines covered ({(double)file.CoveredLines / file.CoverableLines:P1}); uncovered: {string.Join(", ", UnifiedDiff.Ranges(uncovered).Take(8))}") { Target = file.Path });
        }

        if (diff is not null && options.Diff is { } diffOptions)
        {
            JudgeDiff(files, diff, diffOptions, measurements, findings);
        }

        var line = totals.CoverableLines == 0 ? 0 : (double)totals.CoveredLines / totals.CoverableLines;
        var summary = $"line {line:P2} ({totals.CoveredLines}/{totals.CoverableLines})"
            + (totals.TotalBranches > 0 ? $", branch {(double)totals.CoveredBranches / totals.TotalBranches:P2}" : "")
            + $" in {files.Count} files, {modules.Count} module(s), from {reports}";
        return GateResult.FromEvidence(summary, measurements, findings);
    }

    private static void JudgeDiff(IReadOnlyList<FileCoverage> files, Dictionary<string, SortedSet<int>> diff, DiffCoverageOptions options,
        List<Measurement> measurements, List<Finding> findings)
    {
        long changed = 0, covered = 0;
        var ranges = new List<Finding>();
        foreach (var (path, added) in diff)
        {
            // Reports hold absolute or source-relative paths, diffs repository-relative ones: match on the path's end.
            var file = files.FirstOrDefault(f => f.Path == path || f.Path.EndsWith("/" + path, StringComparison.Ordinal));
            if (file is null)
            {
                continue;
            }

            var uncovered = new List<int>();
            foreach (var number in added)
            {
                if (file.Lines.TryGetValue(number, out var l))
                {
                    changed++;
                    if (l.Hits > 0)
                    {
                        covered++;
                    }
                    else
                    {
                        uncovered.Add(number);
                    }
                }
            }

            ranges.AddRange(UnifiedDiff.Ranges(uncovered).Select(r => new Finding(CoverageGateConstants.CoverageDiffUncovered,
                FindingSeverity.Info, $"changed lines {r} are not covered") { Target = $"{path}:{r}" }));
        }

        if (changed == 0)
        {
            measurements.Add(new Measurement("diff-coverable-lines", 0, MetricUnit.Count));
            findings.Add(new Finding(CoverageGateConstants.CoverageDiffNoCoverableLines, FindingSeverity.Info,
                "The change adds or modifies no coverable line."));
            return;
        }

        var condition = GateCondition.AtLeast("diff-line", MetricUnitFormat.RatioToPercent(options.MinimumLineRate), MetricUnit.Percent);
        measurements.Add(Measurement.Evaluate("diff-line", (double)covered / changed, MetricUnit.Ratio, condition));
        measurements.Add(new Measurement("diff-coverable-lines", changed, MetricUnit.Count));
        findings.AddRange(ranges.Take(options.RangesListed));
    }

    private static async Task<Dictionary<string, SortedSet<int>>> ReadDiffAsync(DiffCoverageOptions diff, string baseDirectory,
        CancellationToken cancellationToken)
    {
        if (diff.DiffFile is { } path)
        {
            var full = Path.GetFullPath(path, baseDirectory);
            using var reader = new StreamReader(IO.SafeFile.OpenRead(full));
            return UnifiedDiff.AddedLines(reader, full);
        }

        var start = new ProcessStartInfo("git") { WorkingDirectory = diff.RepositoryDirectory ?? baseDirectory,
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, StandardOutputEncoding = Encoding.UTF8 };
        foreach (var argument in new[] { "diff", "--no-color", "--no-ext-diff", "--unified=0", diff.GitBase + "...HEAD", "--" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("git could not be started.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'git diff {diff.GitBase}...HEAD' failed with exit code {process.ExitCode}: {(await error.ConfigureAwait(false)).Trim()}");
        }

        using var text = new StringReader(await output.ConfigureAwait(false));
        return UnifiedDiff.AddedLines(text, $"git diff {diff.GitBase}...HEAD");
    }
}

/// <summary>Opens a report, detects its format from the content and hands it to the matching reader.</summary>
internal static partial class CoverageReportReader
{
    public static async Task<CoverageData> ReadAsync(string file, CoverageFormat format, Func<string, bool> includeClass, CancellationToken cancellationToken)
    {
        await using var stream = SafeFile.OpenRead(file);
        return Read(stream, file, format, includeClass);
    }

    public static CoverageData Read(Stream stream, string file, CoverageFormat format, Func<string, bool> includeClass)
    {
        if (format == CoverageFormat.Auto)
        {
            format = Detect(stream, file);
            stream.Position = 0;
        }

        if (format == CoverageFormat.Lcov)
        {
            using var text = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
            // lcov names no module: files merge across reports by path alone.
            return LcovReader.Read(text, file, module: "");
        }

        using var reader = SafeXml.Create(stream, file);
        try
        {
            reader.MoveToContent();
            var expected = format switch
            {
                CoverageFormat.Cobertura => "coverage", CoverageFormat.OpenCover => "CoverageSession", CoverageFormat.DotCover => "Root", _ => "report",
            };
            if (reader.LocalName != expected && !(format == CoverageFormat.DotCover && reader.LocalName == "root"))
            {
                throw new ReportFormatException(file, SafeXml.Line(reader),
                    $"the root element is <{reader.LocalName}>, but a {format} report starts with <{expected}>");
            }

            var data = format switch
            {
                CoverageFormat.Cobertura => CoberturaReader.Read(reader, file, includeClass),
                CoverageFormat.OpenCover => OpenCoverReader.Read(reader, file, includeClass),
                CoverageFormat.DotCover => DotCoverReader.Read(reader, file, includeClass),
                _ => JaCoCoReader.Read(reader, file, includeClass),
            };
            return data;
        }
        catch (System.Xml.XmlException ex)
        {
            throw new ReportFormatException(file, ex.LineNumber, "malformed XML: " + ex.Message, ex);
        }
    }

    private static CoverageFormat Detect(Stream stream, string file)
    {
        var buffer = new byte[8192];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        var head = Encoding.UTF8.GetString(buffer, 0, read).TrimStart('\uFEFF', ' ', '\r', '\n', '\t');
        if (head.StartsWith("TN:", StringComparison.Ordinal) || head.StartsWith("SF:", StringComparison.Ordinal))
        {
            return CoverageFormat.Lcov;
        }

        if (head.Contains("<coverage", StringComparison.Ordinal))
        {
            // Clover's root is <coverage> too: told apart by its clover attribute and <project>, and refused by name rather
            // than failing as a Cobertura file without a filename.
            return head.Contains(" clover=\"", StringComparison.Ordinal) || head.Contains("<project", StringComparison.Ordinal)
                ? throw new ReportFormatException(file, 0, "a Clover report (<coverage clover=…> with <project>), which this gate does not read; "
                    + Formats)
                : CoverageFormat.Cobertura;
        }

        if (head.Contains("DotCoverVersion=", StringComparison.Ordinal) || head.Contains("<Root CoveredStatements", StringComparison.Ordinal))
        {
            return CoverageFormat.DotCover;
        }

        if (head.Contains("<CoverageSession", StringComparison.Ordinal))
        {
            return CoverageFormat.OpenCover;
        }

        if (head.Contains("<report", StringComparison.Ordinal))
        {
            return CoverageFormat.JaCoCo;
        }

        var root = RootElement().Match(head);
        throw new ReportFormatException(file, 0, read == 0 ? "the file is empty"
            : "not a coverage report this gate reads" + (root.Success ? $" (its root element is <{root.Groups[1].Value}>)" : "") + "; " + Formats);
    }

    private const string Formats = "it reads Cobertura (<coverage>), OpenCover (<CoverageSession>), JaCoCo (<report>), dotCover (<Root>) and lcov "
        + "(TN:/SF: records)";

    /// <summary>The first element's name, after any declaration, comment or doctype.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"<([A-Za-z_][\w.:-]*)")]
    private static partial System.Text.RegularExpressions.Regex RootElement();
}
