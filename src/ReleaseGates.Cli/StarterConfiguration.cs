using System.Text;

namespace ReleaseGates.Cli;

/// <summary>
/// A commented starter <c>releasegates.json</c> from what a folder holds: coverage reports, test results and, when
/// given, the URL of a deployed service.
/// </summary>
internal static class StarterConfiguration
{
    private static readonly string[] Skipped = ["bin", "obj", "node_modules", ".git", ".vs", ".idea"];

    private static readonly (string Kind, string Pattern, Func<string, bool> Matches)[] Patterns =
    [
        ("coverage", "**/coverage.cobertura.xml", n => n.Equals("coverage.cobertura.xml", StringComparison.OrdinalIgnoreCase)),
        ("coverage", "**/*.opencover.xml", n => n.EndsWith(".opencover.xml", StringComparison.OrdinalIgnoreCase)),
        ("coverage", "**/lcov.info", n => n.Equals("lcov.info", StringComparison.OrdinalIgnoreCase)),
        ("coverage", "**/jacoco*.xml", n => n.StartsWith("jacoco", StringComparison.OrdinalIgnoreCase) && n.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)),
        ("tests", "**/*.trx", n => n.EndsWith(".trx", StringComparison.OrdinalIgnoreCase)),
        ("tests", "**/TEST-*.xml", n => n.StartsWith("TEST-", StringComparison.Ordinal) && n.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)),
        ("tests", "**/junit*.xml", n => n.StartsWith("junit", StringComparison.OrdinalIgnoreCase) && n.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)),
    ];

    /// <summary>The glob patterns (with the kind of report) that match files under <paramref name="root"/>; at most 5,000 folders are looked at.</summary>
    public static List<(string Kind, string Pattern, int Files)> Find(string root)
    {
        var counts = new int[Patterns.Length];
        var pending = new Stack<DirectoryInfo>([new DirectoryInfo(root)]);
        for (var folders = 0; pending.Count > 0 && folders < 5_000; folders++)
        {
            var folder = pending.Pop();
            try
            {
                foreach (var file in folder.EnumerateFiles())
                {
                    for (var i = 0; i < Patterns.Length; i++)
                    {
                        counts[i] += Patterns[i].Matches(file.Name) ? 1 : 0;
                    }
                }

                foreach (var child in folder.EnumerateDirectories().Where(d => !Skipped.Contains(d.Name, StringComparer.OrdinalIgnoreCase)))
                {
                    pending.Push(child);
                }
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                // An unreadable folder holds nothing the starter can use.
            }
        }

        return [.. Patterns.Select((p, i) => (p.Kind, p.Pattern, counts[i])).Where(f => f.Item3 > 0)];
    }

    /// <summary>The starter file's text.</summary>
    public static string Write(IReadOnlyList<(string Kind, string Pattern, int Files)> found, Uri? url)
    {
        string Globs(string kind) => string.Join(", ", found.Where(f => f.Kind == kind).Select(f => $"\"{f.Pattern}\""));
        var gates = new List<string>();
        if (found.Any(f => f.Kind == "coverage"))
        {
            gates.Add($$"""
                    // Line coverage of the reports found ({{Globs("coverage")}}), merged. Set the bar at what you reach.
                    "coverage": {
                      "type": "coverage",
                      "files": [{{Globs("coverage")}}],
                      "minimumLineRate": "80%",
                      "warningLineRate": "90%"
                    }
                """);
        }

        if (found.Any(f => f.Kind == "tests"))
        {
            gates.Add($$"""
                    // Every test result found must pass; a run with no tests is not a pass.
                    "tests": {
                      "type": "testResults",
                      "files": [{{Globs("tests")}}],
                      "maximumFailed": 0
                    }
                """);
        }

        if (url is not null)
        {
            gates.Add($$"""
                    // The deployed service: its health endpoint answers, and its security headers earn at least a B.
                    "smoke": {
                      "type": "smokeTests",
                      "baseAddress": "{{url}}",
                      "requests": [ { "path": "health", "expectedStatuses": [200] } ]
                    },
                    "security-headers": {
                      "type": "securityHeaders",
                      "url": "{{url}}",
                      "minimumGrade": "B"
                    }
                """);
        }

        var text = new StringBuilder();
        text.AppendLine("{");
        text.AppendLine("  // A starter written by 'release-gates init'. Every option: docs/configuration.md; check it with 'release-gates validate'.");
        text.AppendLine("  \"$schema\": \"https://raw.githubusercontent.com/releasegates/releasegates/main/docs/releasegates.schema.json\",");
        // The starter evaluates as written: no ${VARIABLE} the user has not set (an unset one is a configuration error).
        text.AppendLine("  // Name what is released. Add the version from your pipeline, e.g. \"version\": \"${RELEASE_VERSION}\" (then that variable must be set).");
        text.AppendLine("  \"subject\": { \"service\": \"my-service\" },");
        text.AppendLine("  \"gates\": {");
        text.AppendLine(string.Join(",\n", gates.Select(g => g.TrimEnd())));
        text.AppendLine("  }");
        text.AppendLine("}");
        return text.ToString();
    }
}
