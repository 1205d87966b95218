using System.Text.Json;

namespace ReleaseGates;

/// <summary>
/// The outcome of a release evaluation: what was released, the decision, the scores and every gate's evidence.
/// Written as JSON (<see cref="WriteJsonAsync"/>), Markdown (<see cref="ToMarkdown"/>), JUnit XML (<see
/// cref="ToJUnitXml"/>), SARIF (<see cref="ToSarif"/>), HTML (<see cref="ToHtml"/>), a pull-request comment (<see
/// cref="ToPullRequestComment"/>), a GitLab Code Quality report (<see cref="ToGitLabCodeQuality"/>) or text (<see cref="ToText"/>).
/// </summary>
public sealed class ReleaseReport
{
    /// <summary>The JSON schema version this library writes and reads.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>The JSON schema version of this report.</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>What was released.</summary>
    public ReleaseSubject Subject { get; init; } = new();

    /// <summary>
    /// What the baseline report was about (its service, version, commit), when relative conditions compared with one;
    /// otherwise <see langword="null"/>.
    /// </summary>
    public ReleaseSubject? BaselineSubject { get; init; }

    /// <summary>When the evaluation started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>How long the evaluation took.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>The decision.</summary>
    public ReleaseDecision Decision { get; init; }

    /// <summary>The overall score 0–100; <see langword="null"/> when no gate was scored.</summary>
    public double? Score { get; init; }

    /// <summary>The scoring settings the decision was made with.</summary>
    public required ScoringOptions Scoring { get; init; }

    /// <summary>The score of each category, in order of first appearance.</summary>
    public IReadOnlyList<CategoryScore> Categories { get; init; } = [];

    /// <summary>The score of each importance tier that has gates: Required, Recommended, Optional.</summary>
    public IReadOnlyList<ImportanceScore> Importances { get; init; } = [];

    /// <summary>Why the decision is what it is, one readable line per reason. Empty for a clean GO.</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>The names of the gates that decided a NO-GO or GO WITH WARNINGS.</summary>
    public IReadOnlyList<string> DecidingGates { get; init; } = [];

    /// <summary>Every evaluated gate, in registration order.</summary>
    public IReadOnlyList<GateReport> Gates { get; init; } = [];

    /// <summary>
    /// Every configured waiver, in force or expired, with what it did: so nobody ships on a forgotten exception. Empty
    /// when none is configured.
    /// </summary>
    public IReadOnlyList<WaiverReport> Waivers { get; init; } = [];

    /// <summary>
    /// The rounds of a watch, when the report is a watch's final report (<see cref="IReleaseGateEvaluator.WatchAsync"/>);
    /// otherwise <see langword="null"/>. Its gates are the last round's.
    /// </summary>
    public WatchSummary? Watch { get; init; }

    /// <summary>
    /// What the report history did: the machine's fingerprint, the baseline rule and the evaluations the baseline was built
    /// from, the id the evaluation was recorded under, and its problems; <see langword="null"/> when no history was used.
    /// </summary>
    public HistoryReport? History { get; init; }

    /// <summary>Finds a gate's entry by name (ordinal, case-insensitive).</summary>
    /// <param name="name">The gate name.</param>
    /// <returns>The entry, or <see langword="null"/>.</returns>
    public GateReport? FindGate(string name) => Gates.FirstOrDefault(g => string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Throws unless the decision is GO (or GO WITH WARNINGS when <paramref name="allowWarnings"/> is set).</summary>
    /// <param name="allowWarnings">Whether GO WITH WARNINGS is acceptable.</param>
    /// <exception cref="ReleaseNotReadyException">The release is not ready; the message is a table of what fell short.</exception>
    public void EnsureGo(bool allowWarnings = false)
    {
        if (Decision == ReleaseDecision.Go || (allowWarnings && Decision == ReleaseDecision.GoWithWarnings))
        {
            return;
        }

        throw new ReleaseNotReadyException(this);
    }

    /// <summary>The process exit code for this report (see <see cref="ReleaseExitCodes"/>).</summary>
    /// <param name="failOnWarnings">Whether GO WITH WARNINGS should fail the process.</param>
    /// <returns>The exit code.</returns>
    public int GetExitCode(bool failOnWarnings = false) => Decision switch
    {
        ReleaseDecision.Go => ReleaseExitCodes.Go,
        ReleaseDecision.GoWithWarnings => failOnWarnings ? ReleaseExitCodes.GoWithWarnings : ReleaseExitCodes.Go,
        _ => ReleaseExitCodes.NoGo,
    };

    /// <summary>Writes the report as JSON (UTF-8, indented).</summary>
    /// <param name="stream">The stream to write to.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the report is written.</returns>
    public Task WriteJsonAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return JsonSerializer.SerializeAsync(stream, this, ReleaseReportJson.Context.ReleaseReport, cancellationToken);
    }

    /// <summary>The report as JSON text.</summary>
    /// <returns>Indented JSON.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, ReleaseReportJson.Context.ReleaseReport);

    /// <summary>Reads a report written by <see cref="WriteJsonAsync"/> or <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ReleaseReportFormatException">The text is not a report of a known schema version.</exception>
    public static ReleaseReport FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            return ReleaseReportJson.Read(document);
        }
        catch (Exception ex) when (ReleaseReportJson.IsFormatError(ex))
        {
            throw ReleaseReportJson.FormatError(ex);
        }
    }

    /// <summary>Reads a report written by <see cref="WriteJsonAsync"/>.</summary>
    /// <param name="stream">The stream to read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ReleaseReportFormatException">The stream is not a report of a known schema version.</exception>
    public static async Task<ReleaseReport> ReadJsonAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            using var document = await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
            return ReleaseReportJson.Read(document);
        }
        catch (Exception ex) when (ReleaseReportJson.IsFormatError(ex))
        {
            throw ReleaseReportJson.FormatError(ex);
        }
    }

    /// <summary>The largest <c>report.json</c> <see cref="ReadJsonFileAsync"/> loads: 256 MiB.</summary>
    internal const long MaximumJsonFileBytes = 256L * 1024 * 1024;

    /// <summary>
    /// Reads a <c>report.json</c> file: only a regular file (a pipe or device is refused, never waited on) of at most
    /// 256 MiB. Every problem, the file's own included, is a <see cref="ReleaseReportFormatException"/> that names the path.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ReleaseReportFormatException">The file cannot be read, or is not a report of a known schema version.</exception>
    public static async Task<ReleaseReport> ReadJsonFileAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] bytes;
        try
        {
            bytes = await IO.SafeFile.ReadAllBytesAsync(path, MaximumJsonFileBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (IO.ReportFormatException ex)
        {
            throw new ReleaseReportFormatException(ex.Message, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ReleaseReportFormatException($"{path}: cannot be read: {ex.Message}", ex);
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            return ReleaseReportJson.Read(document);
        }
        catch (Exception ex) when (ReleaseReportJson.IsFormatError(ex))
        {
            throw new ReleaseReportFormatException($"{path}: {ReleaseReportJson.FormatError(ex).Message}", ex);
        }
    }

    /// <summary>
    /// The file names <see cref="WriteToDirectoryAsync(string, CancellationToken)"/> writes: <c>report.json</c>,
    /// <c>report.md</c>, <c>junit.xml</c>, <c>report.sarif</c>, <c>report.html</c>, <c>report.comment.md</c> and
    /// <c>gl-code-quality-report.json</c>.
    /// </summary>
    public static IReadOnlyList<string> FileNames { get; } =
        ["report.json", "report.md", "junit.xml", "report.sarif", "report.html", "report.comment.md", "gl-code-quality-report.json"];

    /// <summary>
    /// Writes every report file into <paramref name="directory"/>, creating it (and its parents) if needed: <c>report.json</c>
    /// (<see cref="WriteJsonAsync"/>), <c>report.md</c> (<see cref="ToMarkdown"/>), <c>junit.xml</c> (<see cref="ToJUnitXml"/>),
    /// <c>report.sarif</c> (<see cref="ToSarif"/>, results without a file of their own given only their logical location),
    /// <c>report.html</c> (<see cref="ToHtml"/>), <c>report.comment.md</c> (<see cref="ToPullRequestComment"/>) and
    /// <c>gl-code-quality-report.json</c> (<see cref="ToGitLabCodeQuality"/>); UTF-8 without a byte order mark, replacing
    /// files of those names.
    /// </summary>
    /// <param name="directory">The folder, relative to the current directory or rooted.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <returns>The full paths written, in the order of <see cref="FileNames"/>.</returns>
    /// <exception cref="IOException">
    /// The folder cannot be created, or a file cannot be written; every other file is still written, and the message
    /// names each one that was not.
    /// </exception>
    public Task<IReadOnlyList<string>> WriteToDirectoryAsync(string directory, CancellationToken cancellationToken = default)
        => WriteToDirectoryAsync(directory, new ReportFileOptions(), cancellationToken);

    /// <summary>
    /// Writes every report file as <see cref="WriteToDirectoryAsync(string, CancellationToken)"/> does, with SARIF results
    /// and GitLab issues that have no file of their own located in <paramref name="sarifFallbackArtifact"/> (the pipeline's
    /// <c>releasegates.json</c>, relative to the repository root), as GitHub code scanning requires.
    /// </summary>
    /// <param name="directory">The folder, relative to the current directory or rooted.</param>
    /// <param name="sarifFallbackArtifact">The file results without one are placed in, as for <see cref="ToSarif"/>; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <returns>The full paths written, in the order of <see cref="FileNames"/>.</returns>
    /// <exception cref="IOException">
    /// The folder cannot be created, or a file cannot be written; every other file is still written, and the message
    /// names each one that was not.
    /// </exception>
    public Task<IReadOnlyList<string>> WriteToDirectoryAsync(string directory, string? sarifFallbackArtifact,
        CancellationToken cancellationToken = default)
        => WriteToDirectoryAsync(directory, new ReportFileOptions { SourceFile = sarifFallbackArtifact }, cancellationToken);

    /// <summary>
    /// Writes every report file as <see cref="WriteToDirectoryAsync(string, CancellationToken)"/> does, with the choices of
    /// <paramref name="options"/>: the file that results without a file of their own are placed in, and the address of the
    /// full report that the pull-request comment links to.
    /// </summary>
    /// <param name="directory">The folder, relative to the current directory or rooted.</param>
    /// <param name="options">What the files point at.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <returns>The full paths written, in the order of <see cref="FileNames"/>.</returns>
    /// <exception cref="IOException">
    /// The folder cannot be created, or a file cannot be written; every other file is still written, and the message
    /// names each one that was not.
    /// </exception>
    public async Task<IReadOnlyList<string>> WriteToDirectoryAsync(string directory, ReportFileOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(options);
        var folder = Directory.CreateDirectory(directory).FullName;
        var paths = FileNames.Select(name => Path.Combine(folder, name)).ToArray();
        var utf8 = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

        // Each file on its own: one that cannot be written (a full disk, a file of that name that is read-only) keeps
        // none of the others from being written; what failed is thrown at the end, naming each file.
        var failures = new List<(string Path, Exception Error)>();
        async Task TryWrite(string path, Func<Task> write)
        {
            try
            {
                await write().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                failures.Add((path, ex));
            }
        }

        Task Text(int index, Func<string> render) => TryWrite(paths[index], () => File.WriteAllTextAsync(paths[index], render(), utf8, cancellationToken));
        await TryWrite(paths[0], async () =>
        {
            var json = new FileStream(paths[0], FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true);
            await using (json.ConfigureAwait(false))
            {
                await WriteJsonAsync(json, cancellationToken).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        await Text(1, ToMarkdown).ConfigureAwait(false);
        await Text(2, ToJUnitXml).ConfigureAwait(false);
        await Text(3, () => ToSarif(options.SourceFile)).ConfigureAwait(false);
        await Text(4, ToHtml).ConfigureAwait(false);
        await Text(5, () => ToPullRequestComment(options.FullReportUrl)).ConfigureAwait(false);
        await Text(6, () => ToGitLabCodeQuality(options.SourceFile)).ConfigureAwait(false);
        if (failures.Count > 0)
        {
            throw new IOException(
                string.Join("; ", failures.Select(f => $"{f.Path} could not be written: {f.Error.Message}")),
                failures[0].Error);
        }

        return paths;
    }

    /// <summary>The first line of every <see cref="ToPullRequestComment"/>: a workflow finds the comment to update by it.</summary>
    public const string PullRequestCommentMarker = "<!-- release-gates: pull-request comment -->";

    /// <summary>
    /// The report as a pull-request comment body in Markdown, short enough for one screen: <see cref="PullRequestCommentMarker"/>
    /// first, the decision and score, at most three reasons, at most ten shortfalls (worst first) with value, limit and the
    /// change against the baseline or the previous recorded evaluation, the gate counts and a link to the full report.
    /// Evidence is inert: no HTML, no link and no @mention can come from a gate's text.
    /// </summary>
    /// <param name="fullReport">An http(s) address of the full report (the CI run or its artifact); <see langword="null"/> for no link.</param>
    /// <returns>Markdown text.</returns>
    public string ToPullRequestComment(Uri? fullReport = null) => PullRequestCommentWriter.Write(this, fullReport);

    /// <summary>
    /// The report as a GitLab Code Quality report (<c>gl-code-quality-report.json</c>, for <c>artifacts:reports:codequality</c>):
    /// one issue per measurement or finding that fell short, located at its file and line or else in <paramref name="sourceFile"/>,
    /// with a fingerprint that stays the same from run to run for the same shortfall.
    /// </summary>
    /// <param name="sourceFile">
    /// The file issues without one are placed in (the pipeline's <c>releasegates.json</c>, relative to the repository root);
    /// <see langword="null"/> for <c>releasegates.json</c>.
    /// </param>
    /// <returns>JSON text.</returns>
    public string ToGitLabCodeQuality(string? sourceFile = null) => CodeQualityReportWriter.Write(this, sourceFile);

    /// <summary>
    /// The report as Markdown for a CI job summary: the decision, the gate table, failing measurements as actual
    /// against threshold, and findings.
    /// </summary>
    /// <returns>Markdown text.</returns>
    public string ToMarkdown() => MarkdownReportWriter.Write(this);

    /// <summary>The report as JUnit XML: one test case per gate (failed → failure, error → error, skipped → skipped).</summary>
    /// <returns>JUnit XML text.</returns>
    public string ToJUnitXml() => JUnitReportWriter.Write(this);

    /// <summary>
    /// The report as SARIF 2.1.0 for code-scanning dashboards: one result per measurement or finding that fell short (its
    /// rule the finding's code, or the gate's category and the measurement's name), located at the file it names or, for
    /// a header, endpoint or URL, at a logical location. Passing gates and informational findings are left out.
    /// </summary>
    /// <param name="fallbackArtifact">
    /// The file, relative to the repository root or absolute, that results without a file of their own are located in
    /// (the pipeline's <c>releasegates.json</c>): GitHub code scanning rejects results without a physical location.
    /// <see langword="null"/> to give such results only their logical location.
    /// </param>
    /// <returns>SARIF JSON text.</returns>
    public string ToSarif(string? fallbackArtifact = null) => SarifReportWriter.Write(this, fallbackArtifact);

    /// <summary>This report with another decision and reasons (a stored verdict stricter than the evidence's), all else kept.</summary>
    internal ReleaseReport WithDecision(ReleaseDecision decision, IReadOnlyList<string> reasons)
        => With(decision, reasons, Watch, StartedAt, Duration);

    /// <summary>This report as a watch's final one: the watch's decision, its reason first, and its history.</summary>
    internal ReleaseReport WithWatch(ReleaseDecision decision, string reason, WatchSummary watch) => With(
        decision,
        [reason, .. Reasons],
        watch,
        watch.Rounds.Count > 0 ? watch.Rounds[0].StartedAt : StartedAt,
        watch.Rounds.Count > 0 ? watch.Rounds[^1].StartedAt + watch.Rounds[^1].Duration - watch.Rounds[0].StartedAt : Duration);

    private ReleaseReport With(ReleaseDecision decision, IReadOnlyList<string> reasons, WatchSummary? watch, DateTimeOffset startedAt,
        TimeSpan duration) => new()
    {
        SchemaVersion = SchemaVersion,
        Subject = Subject,
        BaselineSubject = BaselineSubject,
        StartedAt = startedAt,
        Duration = duration,
        Scoring = Scoring,
        Gates = Gates,
        Decision = decision,
        Score = Score,
        Categories = Categories,
        Importances = Importances,
        Reasons = reasons,
        DecidingGates = DecidingGates,
        Waivers = Waivers,
        Watch = watch,
        History = History,
    };

    /// <summary>This report with its history section replaced, all else kept.</summary>
    internal ReleaseReport WithHistory(HistoryReport? history) => new()
    {
        SchemaVersion = SchemaVersion,
        Subject = Subject,
        BaselineSubject = BaselineSubject,
        StartedAt = StartedAt,
        Duration = Duration,
        Scoring = Scoring,
        Gates = Gates,
        Decision = Decision,
        Score = Score,
        Categories = Categories,
        Importances = Importances,
        Reasons = Reasons,
        DecidingGates = DecidingGates,
        Waivers = Waivers,
        Watch = Watch,
        History = history,
    };

    /// <summary>
    /// The report as one self-contained HTML page for people: the decision banner with the score and reasons, category
    /// and tier scores, what fell short, every gate with each measurement drawn against its limit, warning limit and
    /// baseline, latency distributions, findings linked to their files, waivers with their expiry, a watch's timeline and,
    /// with a history, each measurement's last values. Inline CSS and SVG only; its own Content-Security-Policy forbids
    /// any script, font, image or request, and every string from evidence is shown as text.
    /// </summary>
    /// <returns>HTML text (UTF-8 when written to a file).</returns>
    public string ToHtml() => HtmlReportWriter.Write(this);

    /// <summary>The report as plain text for a console.</summary>
    /// <returns>Plain text.</returns>
    public string ToText() => TextReportWriter.Write(this);

    /// <inheritdoc />
    public override string ToString() =>
        $"{ReportFormat.Decision(Decision)} (score {(Score is { } s ? s.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) : "n/a")}, {Gates.Count} gates)";
}
