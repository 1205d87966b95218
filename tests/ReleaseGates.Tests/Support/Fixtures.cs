namespace ReleaseGates.Tests.Support;

/// <summary>The real-world input files in shared/fixtures (kept unchanged), and a scratch folder for files a test writes.</summary>
public static class Fixtures
{
    /// <summary>shared/fixtures beside the repository (CI clones main with shared/ beside it).</summary>
    public static string Root { get; } = Path.GetFullPath(Path.Combine(Repository.Root, "..", "shared", "fixtures"));

    public static string TestResults(string name) => Path.Combine(Root, "test-results", name);

    public static string Coverage(string name) => Path.Combine(Root, "coverage", name);

    /// <summary>A new empty folder under the system temp folder; deleted by the caller's <c>using</c>.</summary>
    public static TempFolder CreateTempFolder() => new();

    public sealed class TempFolder : IDisposable
    {
        public TempFolder()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "releasegates-tests-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string Write(string relativePath, string content)
        {
            var full = System.IO.Path.Combine(Path, relativePath);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
            return full;
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
