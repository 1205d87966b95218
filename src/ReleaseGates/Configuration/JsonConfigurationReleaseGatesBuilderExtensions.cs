using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace ReleaseGates;

/// <summary>
/// Loads a <c>releasegates.json</c> configuration: the subject, the scoring and built-in gates with their options, the
/// same file a host, a test project and the command-line tool can share. See <c>docs/configuration.md</c>.
/// </summary>
public static class JsonConfigurationReleaseGatesBuilderExtensions
{
    /// <summary>The largest configuration (or waivers) file read: 16 MiB, far above any real one.</summary>
    internal const long MaximumFileBytes = 16L * 1024 * 1024;

    private const string ReflectionMessage =
        "The configuration is bound to the gates' options by reflection over their public properties; configure gates in C# in trimmed applications.";

    /// <summary>
    /// Adds the configuration and the gates of a JSON file. Relative paths in it are relative to the file's folder, and
    /// strings may refer to environment variables as <c>${NAME}</c> (values that came from one never appear in messages).
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="path">The file.</param>
    /// <param name="kinds">
    /// The kinds of gate packages whose gates the file may name (<c>"type": "queueDepth"</c>), beside the built-in ones.
    /// </param>
    /// <returns>The builder.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">
    /// The file cannot be read, is not JSON, or configures something wrongly: every problem is listed, each with the
    /// file, line and column.
    /// </exception>
    /// <exception cref="ArgumentException">A kind takes a type already taken.</exception>
    public static TBuilder AddFromJsonFile<TBuilder>(this TBuilder builder, string path, params GateKind[] kinds)
        where TBuilder : IReleaseGatesBuilder
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var known = BuiltInGateKinds.With(kinds);
        var (full, bytes) = ReadFile(path);
        return builder.AddFromJson(bytes, path, Path.GetDirectoryName(full)!, known);
    }

    /// <summary>
    /// The gate packages a configuration file names in <c>gatePackages</c>, as full paths (relative ones start from the
    /// file's folder; <c>${NAME}</c> is read from the environment), for a host that loads packages, as the
    /// <c>release-gates</c> tool does before it calls <see cref="AddFromJsonFile"/> with their kinds. The library itself
    /// loads no assembly.
    /// </summary>
    /// <param name="path">The configuration file.</param>
    /// <returns>The packages' paths, in the file's order; empty when the file names none.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">
    /// The file cannot be read or is not JSON, or an entry of <c>gatePackages</c> is not a string (or names an unset
    /// variable), each problem with the file, line and column.
    /// </exception>
    public static IReadOnlyList<string> ReadGatePackagePaths(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var (full, bytes) = ReadFile(path);
        var root = Parse(bytes, path);
        var file = new JsonConfigurationFile(root, path, Path.GetDirectoryName(full)!, Environment.GetEnvironmentVariable, BuiltInGateKinds.With(null));
        return file.GatePackagePaths();
    }

    /// <summary>
    /// Reads the <c>history</c> section of a configuration file, checked: the store, the SQLite path (resolved against the
    /// file's folder) or the PostgreSQL connection string from the environment variable the file names, the baseline rule
    /// with its fingerprint fields, recording, the runner label and the timeout. What the <c>release-gates</c> tool opens
    /// its history from.
    /// </summary>
    /// <param name="path">The configuration file.</param>
    /// <returns>The settings, or <see langword="null"/> when the file has no <c>history</c> section.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">The file cannot be read, or the section has problems (each
    /// with its line and column; no secret shown).</exception>
    public static ReleaseHistorySettings? ReadHistorySettings(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var (full, bytes) = ReadFile(path);
        var root = Parse(bytes, path);
        var file = new JsonConfigurationFile(root, path, Path.GetDirectoryName(full)!, Environment.GetEnvironmentVariable, BuiltInGateKinds.With(null));
        return file.HistorySettings();
    }

    /// <summary>A configuration file's bytes: only a regular file of a configuration's size (a pipe would block and /dev/zero would never end).</summary>
    private static (string Full, byte[] Bytes) ReadFile(string path)
    {
        try
        {
            var full = Path.GetFullPath(path);
            return (full, IO.SafeFile.ReadAllBytes(full, MaximumFileBytes));
        }
        catch (IO.ReportFormatException e)
        {
            throw new ReleaseGatesConfigurationException($"The configuration file {path} cannot be read", [$"{path}: {e.Problem}"]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ReleaseGatesConfigurationException($"The configuration file {path} cannot be read", [e.Message]);
        }
    }

    /// <summary>The file's nodes, with positions; a byte-order mark is skipped.</summary>
    private static ConfigNode Parse(byte[] utf8, string sourceName)
    {
        try
        {
            return ConfigNode.Parse(utf8.AsSpan().StartsWith("\uFEFF"u8) ? utf8.AsSpan(3) : utf8);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $"{sourceName}:{line + 1}:{(e.BytePositionInLine ?? 0) + 1}: " : $"{sourceName}: ";
            throw new ReleaseGatesConfigurationException($"{sourceName} is not valid JSON", [where + e.Message]);
        }
    }

    /// <summary>Adds the configuration and the gates of JSON read from a stream; see <see cref="AddFromJsonFile"/>.</summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="json">The UTF-8 JSON.</param>
    /// <param name="sourceName">What the messages call the source, such as its file name.</param>
    /// <param name="baseDirectory">The folder relative paths start from.</param>
    /// <param name="kinds">The kinds of gate packages whose gates the JSON may name, beside the built-in ones.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">The JSON configures something wrongly; every problem is
    /// listed with its line and column.</exception>
    /// <exception cref="ArgumentException">A kind takes a type already taken.</exception>
    public static TBuilder AddFromJson<TBuilder>(this TBuilder builder, Stream json, string sourceName, string baseDirectory, params GateKind[] kinds)
        where TBuilder : IReleaseGatesBuilder
    {
        ArgumentNullException.ThrowIfNull(json);
        var known = BuiltInGateKinds.With(kinds);
        using var buffer = new MemoryStream();
        json.CopyTo(buffer);
        return builder.AddFromJson(buffer.ToArray(), sourceName, baseDirectory, known);
    }

    private static TBuilder AddFromJson<TBuilder>(this TBuilder builder, byte[] utf8, string sourceName, string baseDirectory,
        Dictionary<string, GateKind> kinds)
        where TBuilder : IReleaseGatesBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        ArgumentException.ThrowIfNullOrWhiteSpace(baseDirectory);
        var root = Parse(utf8, sourceName);
        var file = new JsonConfigurationFile(root, sourceName, Path.GetFullPath(baseDirectory), Environment.GetEnvironmentVariable, kinds);
        file.ApplyTo(builder);
        return builder;
    }
}
