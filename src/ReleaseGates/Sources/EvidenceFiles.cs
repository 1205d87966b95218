using ReleaseGates.IO;

namespace ReleaseGates;

/// <summary>
/// The file handling the file-reading gates (coverage, test results, checklists) share: globs that match nothing, and
/// a file that cannot be read or parsed, are an <see cref="GateStatus.Error"/> naming the patterns or the file, never a
/// crash and never a pass over fewer files than were asked for.
/// </summary>
internal static class EvidenceFiles
{
    /// <summary>The files the patterns match under the base folder, or the Error that none do (<paramref name="what"/>: "coverage reports").</summary>
    public static (IReadOnlyList<string> Files, GateResult? Error) Expand(ICollection<string> patterns, string baseDirectory, string what)
    {
        var files = FileGlob.Expand(patterns, baseDirectory);
        return files.Count > 0
            ? (files, null)
            : (files, GateResult.Error($"No {what} match {string.Join(", ", patterns.Select(p => $"'{p}'"))} under {baseDirectory}."));
    }

    /// <summary>Reads every file in turn; the Error of the first that cannot be read or is not in its format, or <see langword="null"/> when all were read.</summary>
    public static async Task<GateResult?> ReadEachAsync(IReadOnlyList<string> files, Func<string, Task> read)
    {
        foreach (var file in files)
        {
            try
            {
                await read(file).ConfigureAwait(false);
            }
            catch (ReportFormatException ex)
            {
                return GateResult.Error(ex.Message, ex); // names the file and line itself
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return GateResult.Error($"{file}: {ex.Message}", ex);
            }
        }

        return null;
    }
}
