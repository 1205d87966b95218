using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ReleaseGates.Tests.Support;

namespace ReleaseGates.Tests.Architecture;

/// <summary>
/// Keeps the layering of docs/architecture.md: every reference in src/ReleaseGates (found by binding the sources with
/// Roslyn, so constants, <c>nameof</c>, attributes and extension calls count) goes to the same folder or to a lower
/// layer, and no gate folder references another gate's.
/// </summary>
public sealed class LayerTests
{
    /// <summary>The layers, lowest first. A folder may use its own layer's folder and every lower layer, nothing else.</summary>
    internal static readonly string[][] Layers =
    [
        ["IO", "Metrics"],
        ["Conditions"],
        [""],
        ["Reporting"],
        ["History"],
        ["Evaluation"],
        ["DependencyInjection"],
        ["FileForm"],
        ["Http", "Sources", "Readiness"],
        ["Gates/*"],
        ["Configuration"],
    ];

    private static readonly string Source = Path.Combine(Repository.Root, "src", "ReleaseGates");

    [Fact]
    public void Every_reference_goes_to_the_same_folder_or_a_lower_layer()
    {
        var references = CollectReferences();
        Assert.True(references.Count > 500, $"only {references.Count} references were found: the sources did not bind");

        var violations = references
            .Where(r => !Allowed(r.From, r.To))
            .GroupBy(r => (r.From, r.To, r.Symbol))
            .Select(g => $"{g.Key.From} -> {g.Key.To}: {g.Key.Symbol} ({g.First().Location}, {g.Count()} in all)")
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(violations.Count == 0, "References against the layering:\n" + string.Join('\n', violations));
    }

    [Fact]
    public void Nothing_reaches_a_gate_or_a_source_through_ambient_state()
    {
        // The evaluation's shared runs and progress travel in GateContext, as Polly passes ResilienceContext: no AsyncLocal.
        var ambient = Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains("AsyncLocal<", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Source, f))
            .ToList();
        Assert.True(ambient.Count == 0, "AsyncLocal in: " + string.Join(", ", ambient));
    }

    [Fact]
    public void Every_source_folder_has_a_layer()
    {
        var folders = Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(f))
            .Select(FolderOf)
            .Distinct()
            .Where(f => RankOf(f) < 0)
            .ToList();
        Assert.Empty(folders);
    }

    [Theory]
    [InlineData("Gates/Latency", "Gates/ErrorRate", false)]
    [InlineData("Gates/Latency", "Sources", true)]
    [InlineData("Reporting", "Evaluation", false)]
    [InlineData("", "Reporting", false)]
    [InlineData("Metrics", "IO", false)]
    [InlineData("Evaluation", "Reporting", true)]
    public void The_rule_allows_only_downward_references(string from, string to, bool allowed) =>
        Assert.Equal(allowed, Allowed(from, to));

    internal static bool Allowed(string from, string to)
    {
        if (from == to)
        {
            return true;
        }

        int fromRank = RankOf(from), toRank = RankOf(to);
        return fromRank >= 0 && toRank >= 0 && toRank < fromRank;
    }

    private static int RankOf(string folder)
    {
        for (var rank = 0; rank < Layers.Length; rank++)
        {
            foreach (var pattern in Layers[rank])
            {
                if (pattern == folder || (pattern.EndsWith("/*", StringComparison.Ordinal) && folder.StartsWith(pattern[..^1], StringComparison.Ordinal)
                    && !folder[(pattern.Length - 1)..].Contains('/', StringComparison.Ordinal)))
                {
                    return rank;
                }
            }
        }

        return -1;
    }

    /// <summary>The folder a source file belongs to, relative to src/ReleaseGates: a gate's subfolders are the gate's.</summary>
    private static string FolderOf(string path)
    {
        var relative = Path.GetRelativePath(Source, Path.GetDirectoryName(path)!).Replace('\\', '/');
        if (relative == ".")
        {
            return "";
        }

        var parts = relative.Split('/');
        return parts[0] == "Gates" && parts.Length > 1 ? "Gates/" + parts[1] : parts[0];
    }

    private static bool IsBuildOutput(string path)
    {
        var relative = Path.GetRelativePath(Source, path).Replace('\\', '/');
        return relative.StartsWith("obj/", StringComparison.Ordinal) || relative.StartsWith("bin/", StringComparison.Ordinal);
    }

    private sealed record Reference(string From, string To, string Symbol, string Location);

    private static List<Reference> CollectReferences()
    {
        var parse = new CSharpParseOptions(LanguageVersion.Preview, preprocessorSymbols: ["NET", "NET8_0_OR_GREATER", "NET10_0_OR_GREATER", "NET10_0"]);
        var trees = Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(f))
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), parse, f))
            .Append(CSharpSyntaxTree.ParseText(
                "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq;"
                + " global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;",
                parse,
                "GlobalUsings.g.cs"))
            .ToList();
        var compilation = CSharpCompilation.Create(
            "ReleaseGates.LayerCheck",
            trees,
            MetadataReferences(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));

        var unresolved = compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Id is "CS0246" or "CS0234" or "CS0103")
            .Select(d => d.ToString())
            .Take(10)
            .ToList();
        Assert.True(unresolved.Count == 0, "The sources did not bind:\n" + string.Join('\n', unresolved));

        var references = new List<Reference>();
        foreach (var tree in trees.Where(t => t.FilePath != "GlobalUsings.g.cs"))
        {
            var from = FolderOf(tree.FilePath);
            var model = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                if (node is not (SimpleNameSyntax or ImplicitObjectCreationExpressionSyntax or ObjectCreationExpressionSyntax))
                {
                    continue;
                }

                var info = model.GetSymbolInfo(node);
                var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
                if (symbol is null || DeclaringFile(symbol) is not { } file)
                {
                    continue;
                }

                var line = tree.GetLineSpan(node.Span).StartLinePosition.Line + 1;
                references.Add(new Reference(from, FolderOf(file), TopLevelType(symbol), $"{Path.GetRelativePath(Source, tree.FilePath)}:{line}"));
            }
        }

        return references;
    }

    /// <summary>The source file that declares the top-level type a symbol belongs to, or null for symbols outside the sources.</summary>
    private static string? DeclaringFile(ISymbol symbol)
    {
        if (symbol is IMethodSymbol { ReducedFrom: { } reduced })
        {
            symbol = reduced;
        }

        symbol = symbol.OriginalDefinition;
        if (symbol is ILocalSymbol or IParameterSymbol or IRangeVariableSymbol or ILabelSymbol or INamespaceSymbol or ITypeParameterSymbol)
        {
            return null;
        }

        var type = symbol as INamedTypeSymbol ?? symbol.ContainingType;
        while (type?.ContainingType is { } outer)
        {
            type = outer;
        }

        var path = type?.DeclaringSyntaxReferences.FirstOrDefault()?.SyntaxTree.FilePath;
        return path is null || path == "GlobalUsings.g.cs" || !path.StartsWith(Source, StringComparison.Ordinal) ? null : path;
    }

    private static string TopLevelType(ISymbol symbol)
    {
        var type = symbol as INamedTypeSymbol ?? symbol.ContainingType;
        while (type?.ContainingType is { } outer)
        {
            type = outer;
        }

        return type?.OriginalDefinition.ToDisplayString() ?? symbol.ToDisplayString();
    }

    private static IEnumerable<MetadataReference> MetadataReferences()
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var local = Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll")
            .Where(f => !Path.GetFileName(f).StartsWith("ReleaseGates", StringComparison.Ordinal));
        return platform.Concat(local)
            .DistinctBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(p => MetadataReference.CreateFromFile(p));
    }
}
