using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ReleaseGates.Cli;

/// <summary>
/// Gate packages: assemblies with public <see cref="GateKind"/> classes, named with <c>--gate-package</c> or in the file's
/// <c>gatePackages</c>, loaded into the tool so that the file can name their gates' types. A package runs with the tool's
/// rights, like any code a pipeline runs: the tool loads only what it is told to, and refuses a file that is not a .NET
/// assembly, a package built against a newer ReleaseGates than its own, a package with no kind, and a type already taken.
/// </summary>
[RequiresUnreferencedCode("Gate packages are loaded and searched by reflection.")]
internal static partial class GatePackages
{
    /// <summary>The folders dependencies of loaded packages are looked for in.</summary>
    private static readonly List<string> Folders = [];

    /// <summary><c>--gate-package</c>, on every command that reads a configuration.</summary>
    public static Option<FileInfo[]> Option { get; } = new("--gate-package")
    {
        Description = "A gate-package assembly (.dll) whose gate types the configuration may name; repeatable. Also read from the file's gatePackages.",
        Recursive = true,
    };

    /// <summary>
    /// The kinds of the packages named on the command line and in the configuration <paramref name="config"/> (when given),
    /// or false with every problem written to <paramref name="error"/>.
    /// </summary>
    public static bool TryLoad(ParseResult parse, FileInfo? config, TextWriter error, [NotNullWhen(true)] out GateKind[]? kinds)
    {
        var paths = (parse.GetValue(Option) ?? []).Select(f => f.FullName)
            .Concat(config is null ? [] : NamedIn(config.FullName))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var found = new List<GateKind>();
        var problems = new List<string>();
        foreach (var path in paths)
        {
            try
            {
                found.AddRange(Load(path).Where(k => !found.Exists(f => f.GetType() == k.GetType())));
            }
            catch (GatePackageException e)
            {
                problems.Add($"{path}: {e.Message}");
            }
        }

        foreach (var problem in problems)
        {
            error.WriteLine($"gate package {problem}");
        }

        kinds = problems.Count == 0 ? [.. found] : null;
        return kinds is not null;
    }

    /// <summary>
    /// The file's <c>gatePackages</c>, resolved against its folder, read before the file is loaded (which needs the
    /// packages' kinds). A file that cannot be read here names none: loading it reports why, with its position.
    /// </summary>
    private static List<string> NamedIn(string config)
    {
        var paths = new List<string>();
        try
        {
            using var stream = File.OpenRead(config);
            using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var packages = document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, "gatePackages", StringComparison.OrdinalIgnoreCase)).Value
                : default;
            if (packages.ValueKind != JsonValueKind.Array)
            {
                return paths;
            }

            foreach (var item in packages.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String))
            {
                // ${NAME} as everywhere in the file; an unset variable is reported, at its position, when the file is loaded.
                var path = Reference().Replace(item.GetString()!, m => Environment.GetEnvironmentVariable(m.Groups[1].Value) ?? string.Empty);
                if (path.Length > 0 && !path.Contains('\0', StringComparison.Ordinal))
                {
                    paths.Add(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(config))!, path)));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or ArgumentException or NotSupportedException)
        {
            return paths;
        }

        return paths;
    }

    private static List<GateKind> Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new GatePackageException("no such file.");
        }

        Assembly assembly;
        lock (Folders)
        {
            if (Folders.Count == 0)
            {
                AssemblyLoadContext.Default.Resolving += ResolveFromPackageFolders;
            }

            Folders.Add(Path.GetDirectoryName(path)!);
        }

        try
        {
            assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
        }
        catch (BadImageFormatException)
        {
            throw new GatePackageException("not a .NET assembly.");
        }
        catch (FileLoadException e)
        {
            throw new GatePackageException($"cannot be loaded: {e.Message}");
        }

        var library = typeof(GateKind).Assembly.GetName();
        if (assembly.GetReferencedAssemblies().FirstOrDefault(r => r.Name == library.Name) is not { } used)
        {
            throw new GatePackageException($"does not reference {library.Name}, so it holds no gate kind.");
        }

        if (used.Version > library.Version)
        {
            throw new GatePackageException($"is built against {library.Name} {used.Version}, newer than this tool's {library.Version}: update the tool.");
        }

        Type[] types;
        try
        {
            types = assembly.GetExportedTypes();
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or TypeLoadException or ReflectionTypeLoadException)
        {
            throw new GatePackageException($"its types cannot be loaded (a dependency missing beside it?): {e.Message}");
        }

        var kinds = types.Where(t => typeof(GateKind).IsAssignableFrom(t) && !t.IsAbstract && !t.ContainsGenericParameters).ToList();
        if (kinds.Count == 0)
        {
            throw new GatePackageException("holds no public GateKind class.");
        }

        return kinds.Select(Create).ToList();
    }

    private static GateKind Create(Type type)
    {
        if (type.GetConstructor(Type.EmptyTypes) is null)
        {
            throw new GatePackageException($"{type.FullName} has no public parameterless constructor, so the tool cannot create it.");
        }

        try
        {
            return (GateKind)Activator.CreateInstance(type)!;
        }
        catch (TargetInvocationException e)
        {
            throw new GatePackageException($"{type.FullName} failed when created: {e.InnerException?.Message ?? e.Message}");
        }
    }

    private static Assembly? ResolveFromPackageFolders(AssemblyLoadContext context, AssemblyName name)
    {
        string[] folders;
        lock (Folders)
        {
            folders = [.. Folders];
        }

        return folders.Select(f => Path.Combine(f, name.Name + ".dll")).FirstOrDefault(File.Exists) is { } file
            ? context.LoadFromAssemblyPath(file)
            : null;
    }

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Reference();

    private sealed class GatePackageException(string message) : Exception(message);
}
