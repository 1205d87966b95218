using System.Reflection.Metadata;
using System.Text.Json;
using System.Text.RegularExpressions;
using ReleaseGates.Tests.Support;

namespace ReleaseGates.Tests.Architecture;

/// <summary>What a consumer of the NuGet package gets: debuggable symbols, a readme that works on nuget.org, and a net8.0 build that leaves an ASP.NET Core 8 app's framework packages alone.</summary>
public partial class PackageTests
{
    [Fact]
    public void The_library_pdb_has_deterministic_paths_and_embeds_the_sources_the_build_generated()
    {
        var pdb = Path.ChangeExtension(typeof(ReleaseGate).Assembly.Location, ".pdb");
        using var stream = File.OpenRead(pdb);
        using var provider = MetadataReaderProvider.FromPortablePdbStream(stream);
        var reader = provider.GetMetadataReader();
        var documents = reader.Documents.Select(h => reader.GetString(reader.GetDocument(h).Name)).ToList();
        var embeddedSource = new Guid("0E8A571B-6926-466E-B4AD-8AB04611F5FE");

        Assert.NotEmpty(documents);
        Assert.All(documents, d => Assert.StartsWith("/_/", d, StringComparison.Ordinal));
        Assert.Contains(reader.CustomDebugInformation, h => reader.GetGuid(reader.GetCustomDebugInformation(h).Kind) == embeddedSource);
    }

    [Fact]
    public void The_package_readme_has_only_links_that_resolve_on_nuget_org_and_the_install_line()
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root, "src", "ReleaseGates", "PACKAGE.md"));

        Assert.Contains("dotnet add package ReleaseGates", readme, StringComparison.Ordinal);
        var links = MarkdownLink().Matches(readme).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(links);
        Assert.All(links, link => Assert.StartsWith("https://", link, StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(Repository.Root, "src", "ReleaseGates", "icon.png")));
    }

    [Theory]
    [InlineData("net8.0", 8)]
    [InlineData("net10.0", 10)]
    public void Each_build_depends_on_framework_packages_no_newer_than_its_framework_s_first_release(string target, int major)
    {
        using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "src", "ReleaseGates", "obj", "project.assets.json")));
        var packages = assets.RootElement.GetProperty("targets").EnumerateObject().Single(t => t.Name == target);
        var framework = packages.Value.EnumerateObject()
            .Select(p => p.Name.Split('/'))
            .Where(p => p[0].StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) || p[0].StartsWith("System.", StringComparison.Ordinal))
            .ToList();

        // Any x.0.0 at or below the framework's major version is never above what that framework's apps already have.
        Assert.NotEmpty(framework);
        Assert.All(framework, p =>
        {
            var version = Version.Parse(p[1].Split('-')[0]);
            Assert.True(version.Major < major || (version.Major == major && version.Minor == 0 && version.Build == 0), $"{target}: {p[0]} {p[1]} lifts an app above its framework's {major}.0 packages");
        });
    }

    [GeneratedRegex(@"\]\(([^)]+)\)")]
    private static partial Regex MarkdownLink();
}
