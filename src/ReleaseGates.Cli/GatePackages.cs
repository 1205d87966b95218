using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.Loader;

namespace ReleaseGates.Cli;

/// <summary>
/// Gate packages: assemblies with public <see cref="GateKind"/> classes, named with <c>--gate-package</c> or in the file's
/// <c>gatePackages</c>, loaded into the tool so that the file can name their gates' types. A package runs with the tool's
/// rights, like any code a pipeline runs: the tool loads only what it is told to, and refuses a file that is not a .NET
/// assembly, a package built against a newer ReleaseGates than its own, a package with no kind, and a type already taken.
/// </summary>
internal static class GatePackages
{
    /// <summary>The switch the native build turns off (ReleaseGates.Cli.csproj): it cannot load .NET assemblies.</summary>
    private const string Switch = "ReleaseGates.Cli.GatePackages.IsSupported";

    /// <summary>The folders dependencies of loaded packages are looked for in.</summary>
    private static readonly List<string> Folders = [];

    /// <summary><c>--gate-package</c>, on every command that reads a configuration.</summary>
    public static Option<FileInfo[]> Option { get; } = new("--gate-package")
    {
        Description = "A gate-package assembly (.dll) whose gate types the configuration may name; repeatable. Also read from the file's gatePackages.",
        Recursive = true,
    };

    /// <summary>The kinds of the packages the tool ships with: <c>"type": "openslo"</c> (ReleaseGates.OpenSlo).</summary>
    private static GateKind[] Bundled => [new OpenSloGateKind()];

    /// <summary>
    /// The kinds of the packages named on the command line and in the configuration <paramref name="config"/> (when given),
    /// or false with every problem written to <paramref name="error"/>.
    /// </summary>
    /// <exception cref="ReleaseGatesConfigurationException">The configuration cannot be read, or its gatePackages are wrong.</exception>
    public static bool TryLoad(ParseResult parse, FileInfo? config, TextWriter error, [NotNullWhen(true)] out GateKind[]? kinds)
    {
        // The file's own packages are read by the library, which refuses a pipe or a device and places every problem.
        var paths = (parse.GetValue(Option) ?? []).Select(f => (Path: f.FullName, From: "--gate-package"))
            .Concat(config is null ? [] : JsonConfigurationReleaseGatesBuilderExtensions.ReadGatePackagePaths(config.ToString()).Select(p => (Path: p, From: $"{config}: gatePackages")))
            .DistinctBy(p => p.Path, StringComparer.Ordinal)
            .ToList();
        var found = new List<GateKind>(Bundled);
        var problems = new List<string>();
        foreach (var (path, from) in paths)
        {
            if (!IsSupported)
            {
                problems.Add($"{from}: the gate package {path} cannot be loaded by this native release-gates, which runs without .NET; "
                    + "use the .NET tool (dotnet tool install ReleaseGates.Cli), which loads gate packages. The bundled openslo gates need none.");
                continue;
            }

            try
            {
                found.AddRange(Load(path).Where(k => !found.Exists(f => f.GetType() == k.GetType())));
            }
            catch (GatePackageException e)
            {
                problems.Add($"{from}: the gate package {path} {e.Message}");
            }
        }

        foreach (var problem in problems)
        {
            error.WriteLine(problem);
        }

        kinds = problems.Count == 0 ? [.. found] : null;
        return kinds is not null;
    }

    /// <summary>
    /// Whether gate packages can be loaded: in the .NET tool, yes; in the NativeAOT build, which turns the switch off and
    /// trims the loading away, no.
    /// </summary>
    [FeatureSwitchDefinition(Switch)]
    [FeatureGuard(typeof(RequiresUnreferencedCodeAttribute))]
    [UnconditionalSuppressMessage("Trimming", "IL4000",
        Justification = "A switch, not a check the analyzer knows: the native build sets it to false, and the trimmer takes it as that constant.")]
    private static bool IsSupported => !AppContext.TryGetSwitch(Switch, out var on) || on;

    [RequiresUnreferencedCode("Gate packages are loaded and searched by reflection.")]
    private static List<GateKind> Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new GatePackageException("does not exist.");
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
            throw new GatePackageException("is not a .NET assembly.");
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
            throw new GatePackageException($"has types that cannot be loaded (a dependency missing beside it?): {e.Message}");
        }

        var kinds = types.Where(t => typeof(GateKind).IsAssignableFrom(t) && !t.IsAbstract && !t.ContainsGenericParameters).ToList();
        if (kinds.Count == 0)
        {
            throw new GatePackageException("holds no public GateKind class.");
        }

        return kinds.Select(Create).ToList();
    }

    [RequiresUnreferencedCode("Gate packages are loaded and searched by reflection.")]
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

    [RequiresUnreferencedCode("Gate packages are loaded and searched by reflection.")]
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

    private sealed class GatePackageException(string message) : Exception(message);
}
