using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ReleaseGates.Tests.Support;

namespace ReleaseGates.Cli.Tests.Hostile;

/// <summary>
/// The tool as a hostile user and a hostile network would try it, with four oracles:
/// a <b>crash</b> is an exit code outside 0–4, a stack trace, or an unexpected failure ("release-gates failed");
/// a <b>hang</b> is a run past its gates' timeouts plus grace; a <b>wrong pass</b> is exit 0 that the report's own gates
/// contradict, or any pass on a hostile answer; a <b>leak</b> is a planted secret in output, a report file or a problem.
/// Bounded: a fixed seed, a fixed number of inputs, every server on 127.0.0.1.
/// </summary>
[SuppressMessage("Trimming", "IL2026", Justification = "Tests run the tool's code as built, untrimmed.")]
[SuppressMessage("AOT", "IL3050", Justification = "Tests run the tool's code as built, untrimmed.")]
public sealed partial class HostileToolTests : IDisposable
{
    /// <summary>A secret every hostile input may plant; it must never come back.</summary>
    private const string Secret = "rg-planted-s3cret-7f3a";
    private const string SecretVariable = "RG_HOSTILE_SECRET";

    /// <summary>Longer than any gate's timeout in these inputs (10 s at most) plus the evaluator's grace.</summary>
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(45);

    private readonly Fixtures.TempFolder _folder = Fixtures.CreateTempFolder();

    /// <summary>The sample gate package, so that the docs' queueDepth examples are seeds like the built-in gates'.</summary>
    private static readonly string GatePackage = Path.Combine(AppContext.BaseDirectory, "ReleaseGates.Samples.GatePackage.dll");

    public HostileToolTests()
    {
        Environment.SetEnvironmentVariable(SecretVariable, Secret);

        // The migrations page's ${DATABASE_URL}: a closed port, and the planted secret as its password, which must never come back.
        Environment.SetEnvironmentVariable("DATABASE_URL", $"Host=127.0.0.1;Port=1;Database=app;Username=app;Password={Secret};Timeout=2");
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>The tool's own entry point in this process (the same code the process runs), cut at <see cref="HangLimit"/>.</summary>
    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var run = CommandLine.RunAsync(args, output, error, Variable);
        int exit;
        try
        {
            exit = await run.WaitAsync(HangLimit, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"hang: release-gates {string.Join(' ', args)} ran past {HangLimit.TotalSeconds} s");
            throw;
        }

        return (exit, output.ToString(), error.ToString());
    }

    private static void AssertNoCrash(int exit, string output, string error, string what)
    {
        Assert.True(exit is >= 0 and <= 4, $"crash: {what}: exit {exit}\n{error}");
        Assert.False(StackTrace().IsMatch(output + error), $"crash: {what}: a stack trace\n{error}");
        Assert.DoesNotContain("release-gates failed", error, StringComparison.Ordinal);
    }

    /// <summary>
    /// The tool's environment: no CI runner, and the variables the docs' examples refer to, so that those examples
    /// validate and are evaluated instead of always failing on an unset reference; their credentials are the test's
    /// secret, which no output may show.
    /// </summary>
    private static string? Variable(string name) => name switch
    {
        "GITHUB_ACTIONS" or "GITHUB_STEP_SUMMARY" => null,
        "RELEASE_VERSION" => "2.4.0",
        "API_TOKEN" or "FLEET_TOKEN" or "PROM_TOKEN" or "TOKEN" => Secret,
        "DATABASE_URL" => $"Host=127.0.0.1;Port=1;Database=app;Username=app;Password={Secret};Timeout=2",
        _ => Environment.GetEnvironmentVariable(name),
    };

    private static void AssertNoLeak(string what, params string[] texts)
    {
        foreach (var text in texts)
        {
            Assert.False(text.Contains(Secret, StringComparison.Ordinal) || text.Contains(Base64(Secret), StringComparison.Ordinal), $"leak: {what}:\n{text}");
        }
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [GeneratedRegex(@"\n\s+at [\w.<>`$|]+[.(]")]
    private static partial Regex StackTrace();

    // ---------------------------------------------------------------------------------------------------------------
    // The configuration file, fuzzed from the docs' examples.

    /// <summary>The docs' JSON examples that configure gates, every host turned into a closed port on 127.0.0.1.</summary>
    private static List<string> Seeds()
    {
        var docs = Path.Combine(Repository.Root, "docs");
        var seeds = new List<string>();
        foreach (var file in Directory.EnumerateFiles(docs, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            foreach (Match block in JsonBlock().Matches(File.ReadAllText(file)))
            {
                var json = Host().Replace(block.Groups[1].Value, "$1127.0.0.1:1");
                // gatePackages examples name a package file the docs do not ship: always a problem, never a useful seed.
                if ((json.Contains("\"gates\"", StringComparison.Ordinal) || json.Contains("\"waivers\"", StringComparison.Ordinal))
                    && !json.Contains("\"gatePackages\"", StringComparison.Ordinal))
                {
                    seeds.Add(json);
                }
            }
        }

        return seeds;
    }

    [GeneratedRegex("```json\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();

    [GeneratedRegex(@"(https?://)(?:[^/""\s@]+@)?[A-Za-z0-9.\-]+(?::\d+)?")]
    private static partial Regex Host();

    [GeneratedRegex(@"""((?:[^""\\\n]|\\.)*)""(?!\s*:)")]
    private static partial Regex StringValue();

    [GeneratedRegex(@"(?<=:\s*)-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")]
    private static partial Regex NumberValue();

    [GeneratedRegex(@"""([A-Za-z$][A-Za-z0-9]*)""\s*:\s*")]
    private static partial Regex PropertyName();

    private string[] HostileStrings() =>
    [
        "${" + SecretVariable + "}", "${" + SecretVariable + "}.pem", "certs/${" + SecretVariable + "}.json", "${RG_NEVER_SET_VARIABLE}",
        "/dev/zero", Path.Combine(_folder.Path, "fifo"), "a\\u0000b", "\\ud800", "\\udfff\\ud800", "NaN", "-1", "1e309", "99999999999d", "-5s",
        new string('*', 300) + "x", "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", new string('x', 70_000), "", " ", "none",
        "http://user:${" + SecretVariable + "}@127.0.0.1:1/", "p(95) < < 3", "p(95) <= +1e308% floor -1ms", "rate < NaN%",
        "Tls12, Tls99", "2027-02-30", "../../../../etc/passwd", "\\\\?\\GLOBALROOT", "http://[::1", "https://127.0.0.1:99999/",
    ];

    private static readonly string[] HostileNumbers = ["-1", "0", "1e309", "-1e309", "2147483648", "9223372036854775808", "1.5", "-0", "1e-320", "\"NaN\"", "null", "[]", "{}"];

    /// <summary>One mutation of <paramref name="json"/>, chosen by <paramref name="random"/>.</summary>
    private string Mutate(string json, Random random)
    {
        switch (random.Next(8))
        {
            case 0 or 1:
            {
                var strings = StringValue().Matches(json);
                if (strings.Count == 0)
                {
                    goto default;
                }

                var target = strings[random.Next(strings.Count)];
                var hostile = HostileStrings()[random.Next(HostileStrings().Length)];
                return json[..target.Index] + "\"" + hostile + "\"" + json[(target.Index + target.Length)..];
            }

            case 2:
            {
                var numbers = NumberValue().Matches(json);
                if (numbers.Count == 0)
                {
                    goto default;
                }

                var target = numbers[random.Next(numbers.Count)];
                return json[..target.Index] + HostileNumbers[random.Next(HostileNumbers.Length)] + json[(target.Index + target.Length)..];
            }

            case 3:
            {
                // A property set twice: the same name and value again right after it.
                var names = PropertyName().Matches(json);
                if (names.Count == 0)
                {
                    goto default;
                }

                var name = names[random.Next(names.Count)];
                var end = json.IndexOfAny([',', '\n', '}'], name.Index + name.Length);
                return end < 0 ? json : json[..end] + ", " + name.Value + "\"again\"" + json[end..];
            }

            case 4:
                return json[..random.Next(json.Length)];
            case 5:
            {
                var bytes = Encoding.UTF8.GetBytes(json);
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                return Encoding.Latin1.GetString(bytes);
            }

            case 6:
                return json.Replace("{", new string('[', random.Next(1, 3)) + "{", StringComparison.Ordinal);
            default:
            {
                // A property of another gate's, or none the binder knows, in a random object.
                var at = json.IndexOf('{', random.Next(json.Length));
                return at < 0 ? json : json[..(at + 1)] + " \"" + (random.Next(2) == 0 ? "timeout" : "colour") + "\": \"${" + SecretVariable + "}\", " + json[(at + 1)..];
            }
        }
    }

    [Fact]
    public async Task The_configuration_fuzzed_from_the_docs_examples_never_crashes_hangs_leaks_or_passes_wrongly()
    {
        var seeds = Seeds();
        Assert.True(seeds.Count >= 5, $"only {seeds.Count} examples were found in docs/");
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(0, Fixtures.MakeFifo(Path.Combine(_folder.Path, "fifo")));
        }

        var random = new Random(31);
        var (validated, evaluated, problems) = (0, 0, 0);
        // Every example as written first (each must validate or be refused by name, and evaluate without a wrong pass), so
        // that the evaluation path is covered whatever share of the mutations below happens to stay valid; then 320 mutants.
        for (var i = 0; i < seeds.Count + 320; i++)
        {
            var seed = seeds[i % seeds.Count];
            var mutated = i < seeds.Count ? seed : Mutate(seed, random);
            if (i >= seeds.Count && random.Next(3) == 0)
            {
                mutated = Mutate(mutated, random);
            }

            var config = Path.Combine(_folder.Path, $"fuzz-{i}.json");
            await File.WriteAllBytesAsync(config, Encoding.Latin1.GetBytes(mutated), TestContext.Current.CancellationToken);
            var what = $"input {i} ({config})";

            var (exit, output, error) = await RunAsync("validate", "--config", config, "--gate-package", GatePackage);
            AssertNoCrash(exit, output, error, "validate " + what);
            AssertNoLeak("validate " + what, output, error);
            Assert.True(exit is ReleaseExitCodes.Go or ReleaseExitCodes.InvalidConfiguration, $"validate {what}: exit {exit}\n{error}");
            validated++;
            if (exit == ReleaseExitCodes.InvalidConfiguration)
            {
                problems++;
                Assert.Matches(@"fuzz-\d+\.json", error); // every problem names the file
                continue;
            }

            // What validates is evaluated too (its hosts are a closed port on 127.0.0.1, its files mostly missing).
            if (evaluated >= 40)
            {
                continue;
            }

            evaluated++;
            var (code, json, evaluateError) = await RunAsync("evaluate", "--config", config, "--json", "--progress", "never", "--gate-package", GatePackage);
            AssertNoCrash(code, json, evaluateError, "evaluate " + what);
            if (code is ReleaseExitCodes.Go or ReleaseExitCodes.NoGo)
            {
                // The decision printed is the decision the report's own gates make: re-read and re-checked, it agrees.
                var report = ReleaseReport.FromJson(json);
                Assert.Equal(code, report.GetExitCode());
                Assert.False(
                    code == ReleaseExitCodes.Go && report.Gates.Any(g => g is { ReportOnly: false, Importance: GateImportance.Required, Status: GateStatus.Failed or GateStatus.Error }),
                    $"wrong pass: {what}\n{json}");
            }
        }

        Assert.True(problems > 100 && evaluated > 5, $"{validated} validated: {problems} problems, {evaluated} evaluated");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // A Prometheus that answers every hostile way.

    private static string Vector(string value, string labels = "{}") => $$$"""{"status":"success","data":{"resultType":"vector","result":[{"metric":{{{labels}}},"value":[1700000000,"{{{value}}}"]}]}}""";

    private static string Buckets(string small, string total) => $$$"""
        {"status":"success","data":{"resultType":"vector","result":[
          {"metric":{"le":"0.1"},"value":[1700000000,"{{{small}}}"]},{"metric":{"le":"+Inf"},"value":[1700000000,"{{{total}}}"]}]}}
        """;

    public static TheoryData<string> PrometheusAnswers() =>
    [
        "negative error count", "NaN error count", "infinite total", "negative sum", "negative bucket", "null label", "html 401 echoing the token",
        "json error echoing the token", "body echoing the basic credential", "not json", "wrong shape", "numbers as numbers", "slower than the timeout",
        "503 forever", "more errors than requests",
    ];

    private static (int, string, string, TimeSpan) PrometheusAnswer(string @case, string query)
    {
        var ok = TimeSpan.Zero;
        var json = "application/json";
        var isBuckets = query.Contains("_bucket", StringComparison.Ordinal);
        var isSum = query.Contains("_sum", StringComparison.Ordinal);
        var isErrors = query.Contains("_count", StringComparison.Ordinal);
        return @case switch
        {
            "negative error count" => (200, json, isBuckets ? Buckets("900", "1000") : isErrors ? Vector("-50") : Vector("12"), ok),
            "NaN error count" => (200, json, isBuckets ? Buckets("900", "1000") : isErrors ? Vector("NaN") : Vector("12"), ok),
            "infinite total" => (200, json, isBuckets ? Buckets("900", "+Inf") : Vector(isErrors ? "1" : "12"), ok),
            "negative sum" => (200, json, isBuckets ? Buckets("900", "1000") : isSum ? Vector("-400") : Vector("0"), ok),
            "negative bucket" => (200, json, isBuckets ? Buckets("-5", "1000") : Vector("1"), ok),
            "null label" => (200, json, """{"status":"success","data":{"resultType":"vector","result":[{"metric":{"le":null},"value":[1700000000,"3"]}]}}""", ok),
            "html 401 echoing the token" => (401, "text/html", $"<html><body>Token {Secret} is not valid. Authorization: Bearer {Secret}</body></html>", ok),
            "json error echoing the token" => (400, json, $$"""{"status":"error","errorType":"bad_data","error":"unknown token {{Secret}}"}""", ok),
            "body echoing the basic credential" => (502, "text/plain", $"upstream refused Basic {Base64("user:" + Secret)} ({Secret})", ok),
            "not json" => (200, "text/plain", "up 1", ok),
            "wrong shape" => (200, json, """{"status":"success","data":{"resultType":"vector","result":{"x":1}}}""", ok),
            "numbers as numbers" => (200, json, """{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000,5]}]}}""", ok),
            "slower than the timeout" => (200, json, Vector("1"), TimeSpan.FromSeconds(30)),
            "503 forever" => (503, "text/plain", "overloaded", ok),
            "more errors than requests" => (200, json, isBuckets ? Buckets("900", "1000") : isErrors ? Vector("1500") : Vector("12"), ok),
            _ => throw new ArgumentOutOfRangeException(nameof(@case)),
        };
    }

    [Theory]
    [MemberData(nameof(PrometheusAnswers))]
    public async Task A_hostile_prometheus_answer_is_an_error_in_time_never_a_pass_or_a_leak(string @case)
    {
        await using var prometheus = new FakeHttpServer(query => PrometheusAnswer(@case, query));
        var basic = @case.Contains("basic", StringComparison.Ordinal);
        var reference = "${" + SecretVariable + "}";
        var connection = basic
            ? $$"""{ "baseAddress": "{{prometheus.BaseAddress}}", "username": "user", "password": "{{reference}}", "attemptTimeout": "2s", "maximumRetries": 1, "retryDelay": "10ms" }"""
            : $$"""{ "baseAddress": "{{prometheus.BaseAddress}}", "bearerToken": "{{reference}}", "attemptTimeout": "2s", "maximumRetries": 1, "retryDelay": "10ms" }""";
        var config = _folder.Write("prometheus.json", $$"""
            {
              "subject": { "service": "checkout" },
              "gates": {
                "errors": { "type": "errorRate", "source": { "prometheus": { "connection": {{connection}}, "window": null } }, "conditions": ["rate < 1%"], "timeout": "10s" },
                "latency": { "type": "latency", "source": { "prometheus": { "connection": {{connection}}, "window": "5m" } }, "conditions": ["avg < 200ms"], "timeout": "10s" },
                "saturation": { "type": "metric", "source": { "prometheus": {{connection}}, "query": "max(queue_depth)" }, "conditions": ["value < 5"], "timeout": "10s" }
              }
            }
            """);
        var reports = Path.Combine(_folder.Path, "out-" + @case.Replace(' ', '-'));

        var (exit, output, error) = await RunAsync("evaluate", "--config", config, "--out", reports, "--progress", "never");

        AssertNoCrash(exit, output, error, @case);
        Assert.True(exit == ReleaseExitCodes.NoGo, $"wrong pass: {@case}: exit {exit}\n{output}\n{error}");
        var report = await ReleaseReport.ReadJsonFileAsync(Path.Combine(reports, "report.json"), TestContext.Current.CancellationToken);
        // The metric gate's query reads a gauge: in the cases about histogram counts it gets an ordinary value and may pass.
        var countsOnly = @case is "negative error count" or "NaN error count" or "infinite total" or "negative sum" or "negative bucket" or "more errors than requests";
        Assert.All(
            report.Gates.Where(g => !(countsOnly && g.Name == "saturation")),
            g => Assert.True(g.Status is GateStatus.Error or GateStatus.Failed, $"{@case}: {g.Name} is {g.Status}: {g.Summary}"));
        Assert.Contains(report.Gates, g => g.Status == GateStatus.Error);
        AssertNoLeak(@case, [output, error, .. Directory.EnumerateFiles(reports).Select(File.ReadAllText)]);

        // The credential went to the server it was configured for, and nowhere else was asked.
        Assert.NotEmpty(prometheus.Requests);
        Assert.All(prometheus.Requests, r => Assert.Contains("Authorization: ", r, StringComparison.Ordinal));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Hostile command lines.

    [Theory]
    [InlineData("watch --count 1 --interval 10ms --failure-limit none --inconclusive-limit none", ReleaseExitCodes.Go)]
    [InlineData("watch --count 1 --interval 99999999999d", ReleaseExitCodes.InvalidConfiguration)]
    [InlineData("watch --count 1 --interval NaNs", ReleaseExitCodes.InvalidConfiguration)]
    [InlineData("watch --count 1 --interval -5s", ReleaseExitCodes.InvalidConfiguration)]
    [InlineData("watch --count 1 --initial-delay 60d", ReleaseExitCodes.InvalidConfiguration)]
    [InlineData("watch --count 1 --failure-limit -1", ReleaseExitCodes.InvalidConfiguration)]
    [InlineData("watch --count 0", ReleaseExitCodes.InvalidConfiguration)]
    [InlineData("evaluate --out /dev/null", ReleaseExitCodes.InvalidConfiguration)]
    [InlineData("evaluate --out /proc/self", ReleaseExitCodes.InvalidConfiguration)]
    [InlineData("evaluate --out {config}", ReleaseExitCodes.InvalidConfiguration)]
    [InlineData("evaluate --config \" \"", ReleaseExitCodes.InvalidConfiguration)]
    [InlineData("evaluate --config /dev/zero", ReleaseExitCodes.InvalidConfiguration)]
    [InlineData("evaluate --config {fifo}", ReleaseExitCodes.InvalidConfiguration)]
    [InlineData("evaluate --baseline /dev/zero", ReleaseExitCodes.EvaluationError)]
    [InlineData("evaluate --baseline {config}", ReleaseExitCodes.EvaluationError)]
    [InlineData("replay {report} --pass-score NaN", ReleaseExitCodes.InvalidConfiguration)]
    [InlineData("replay {report} --pass-score -1", ReleaseExitCodes.InvalidConfiguration)]
    [InlineData("replay {report} --pass-score 1e309", ReleaseExitCodes.InvalidConfiguration)]
    [InlineData("replay {report} --pass-score 50 --warning-score 60", ReleaseExitCodes.InvalidConfiguration)]
    [InlineData("replay {fifo}", ReleaseExitCodes.InvalidConfiguration)]
    [InlineData("compare {report} /dev/zero", ReleaseExitCodes.InvalidConfiguration)]
    [InlineData("frobnicate", ReleaseExitCodes.InvalidConfiguration)]
    public async Task A_hostile_command_line_is_a_usage_error_with_a_message_never_a_crash(string line, int expected)
    {
        if (!OperatingSystem.IsLinux() && line.Contains("/dev/", StringComparison.Ordinal))
        {
            Assert.Skip("Linux devices");
        }

        var config = _folder.Write("releasegates.json", """{ "subject": { "service": "x" }, "gates": { "ok": { "type": "checklist", "files": ["c.md"] } } }""");
        _folder.Write("c.md", "- [x] done\n");
        var fifo = Path.Combine(_folder.Path, "pipe");
        Assert.Equal(0, Fixtures.MakeFifo(fifo));
        var (_, saved, _) = await RunAsync("evaluate", "--config", config, "--json", "--progress", "never");
        var report = _folder.Write("report.json", saved);
        var args = SplitArgs(line).Select(a => a.Replace("{config}", config, StringComparison.Ordinal).Replace("{fifo}", fifo, StringComparison.Ordinal).Replace("{report}", report, StringComparison.Ordinal)).ToList();
        if (args[0] is "evaluate" or "watch" && !args.Contains("--config"))
        {
            args.AddRange(["--config", config]);
        }

        var (exit, output, error) = await RunAsync([.. args, .. args[0] is "evaluate" or "watch" ? new[] { "--progress", "never" } : []]);

        AssertNoCrash(exit, output, error, line);
        Assert.True(exit == expected, $"{line}: exit {exit}, expected {expected}\n{error}");
        if (expected != ReleaseExitCodes.Go)
        {
            Assert.False(string.IsNullOrWhiteSpace(error), $"{line}: no message");
        }
    }

    private static IEnumerable<string> SplitArgs(string line)
        => Regex.Matches(line, "\"([^\"]*)\"|(\\S+)").Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value);

    // ---------------------------------------------------------------------------------------------------------------
    // watch under SIGINT and SIGTERM, as a process.

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task A_signal_during_watch_writes_the_rounds_so_far_as_no_go_and_exits_4(string signal)
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("POSIX signals");
        }

        var config = _folder.Write("releasegates.json", """{ "subject": { "service": "x" }, "gates": { "ok": { "type": "checklist", "files": ["c.md"] } } }""");
        _folder.Write("c.md", "- [x] done\n");
        var (file, prefix) = ReleaseGatesTool.Command;
        var start = new System.Diagnostics.ProcessStartInfo(file) { WorkingDirectory = _folder.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])[.. prefix, "watch", "--config", config, "--count", "50", "--interval", "1s", "--out", "reports", "--progress", "never"])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = new StringBuilder();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardError.ReadLineAsync(deadline.Token) is { } line)
        {
            error.AppendLine(line);
            if (line.Contains("round 1 ", StringComparison.Ordinal))
            {
                break;
            }
        }

        using (var kill = System.Diagnostics.Process.Start("kill", ["-" + signal, process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(deadline.Token);
        }

        error.Append(await process.StandardError.ReadToEndAsync(deadline.Token));
        await process.WaitForExitAsync(deadline.Token);

        Assert.True(process.ExitCode == ReleaseExitCodes.EvaluationError, $"SIG{signal}: exit {process.ExitCode}\n{error}");
        Assert.Contains($"SIG{signal}: cancelling the run", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Watch cancelled after", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Release decision: NO-GO", await output, StringComparison.Ordinal);
        var report = await ReleaseReport.ReadJsonFileAsync(Path.Combine(_folder.Path, "reports", "report.json"), TestContext.Current.CancellationToken);
        Assert.Equal(ReleaseDecision.NoGo, report.Decision);
        Assert.True(report.Watch!.Rounds.Count >= 1);
        Assert.StartsWith("Watch cancelled after", report.Reasons[0], StringComparison.Ordinal);
        Assert.False(StackTrace().IsMatch(error.ToString()), error.ToString());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // TLS listeners that handshake badly.

    [Theory]
    [InlineData("garbage")]
    [InlineData("silent")]
    [InlineData("close")]
    [InlineData("plain http")]
    [InlineData("expired self-signed")]
    public async Task A_bad_tls_listener_fails_or_errors_the_tls_gate_in_time(string behaviour)
    {
        using var certificate = behaviour == "expired self-signed" ? ExpiredSelfSigned() : null;
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource();
        var serving = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                System.Net.Sockets.TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync(stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or System.Net.Sockets.SocketException or ObjectDisposedException)
                {
                    return;
                }

                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        try
                        {
                            var stream = client.GetStream();
                            switch (behaviour)
                            {
                                case "garbage":
                                    await stream.WriteAsync(Enumerable.Range(0, 4096).Select(i => (byte)(i * 31)).ToArray(), stop.Token);
                                    await Task.Delay(Timeout.Infinite, stop.Token);
                                    break;
                                case "silent":
                                    await Task.Delay(Timeout.Infinite, stop.Token);
                                    break;
                                case "plain http":
                                    await stream.WriteAsync("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), stop.Token);
                                    break;
                                case "expired self-signed":
                                    using (var tls = new System.Net.Security.SslStream(stream))
                                    {
                                        await tls.AuthenticateAsServerAsync(new System.Net.Security.SslServerAuthenticationOptions { ServerCertificate = certificate }, stop.Token);
                                        await Task.Delay(Timeout.Infinite, stop.Token);
                                    }

                                    break;
                            }
                        }
                        catch (Exception e) when (e is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
                        {
                            // The gate hung up, or the test is over.
                        }
                    }
                }, TestContext.Current.CancellationToken);
            }
        }, TestContext.Current.CancellationToken);
        try
        {
            var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            var config = _folder.Write("tls.json", $$"""
                { "subject": { "service": "x" }, "gates": { "tls": { "type": "tls", "endpoints": ["https://127.0.0.1:{{port}}/"], "handshakeTimeout": "2s", "timeout": "10s" } } }
                """);

            var started = System.Diagnostics.Stopwatch.StartNew();
            var (exit, output, error) = await RunAsync("evaluate", "--config", config, "--json", "--progress", "never");

            AssertNoCrash(exit, output, error, behaviour);
            Assert.True(exit == ReleaseExitCodes.NoGo, $"wrong pass: {behaviour}: exit {exit}\n{output}\n{error}");
            var gate = ReleaseReport.FromJson(output).FindGate("tls")!;
            Assert.True(gate.Status is GateStatus.Failed or GateStatus.Error, $"{behaviour}: {gate.Status}: {gate.Summary}");
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(30), $"hang: {behaviour} took {started.Elapsed}");
        }
        finally
        {
            await stop.CancelAsync();
            listener.Stop();
            await serving;
        }
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 ExpiredSelfSigned()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=127.0.0.1", key, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        var san = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1));
        // Exported and loaded again so that the server can use its private key on every platform.
        return System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(created.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx), null);
    }
}
