namespace ReleaseGates.Tests.Support;

/// <summary>The real-world input files in tests/fixtures (kept unchanged; provenance in its README), and a scratch folder for files a test writes.</summary>
public static class Fixtures
{
    /// <summary>tests/fixtures in this repository: a clone alone passes its tests.</summary>
    public static string Root { get; } = Path.Combine(Repository.Root, "tests", "fixtures");

    public static string TestResults(string name) => Path.Combine(Root, "test-results", name);

    public static string Coverage(string name) => Path.Combine(Root, "coverage", name);

    public static string Checklist(string name) => Path.Combine(Root, "checklists", name);

    /// <summary>Makes a named pipe (Linux) with <c>mkfifo</c>; returns its exit code.</summary>
    public static int MakeFifo(string path)
    {
        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        return mkfifo.ExitCode;
    }

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
