using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace ReleaseGates;

/// <summary>
/// A parsed configuration file applied to a builder: checked in full first (every binding and option problem of every
/// gate, with positions), and only then registered, so a bad file adds nothing.
/// </summary>
internal sealed class JsonConfigurationFile(
    ConfigNode root, string source, string baseDirectory, Func<string, string?> environment, Dictionary<string, GateKind> kinds)
{
    /// <summary>Every value taken from an environment variable, with the variable's name: masked in every problem message.</summary>
    private readonly Dictionary<string, string> _fromEnvironment = new(StringComparer.Ordinal);

    private const string GatesProperty = "gates";
    private const string WaiversProperty = "waivers";
    private const string TypeProperty = "type";
    private const string GatePackagesProperty = "gatePackages";
    private const string HistoryProperty = "history";

    /// <summary>The gate types the file can name: the built-in ones and those of the gate packages given.</summary>
    private readonly Dictionary<string, GateKind> _kinds = kinds;

    /// <summary>Checks the whole file, throws every problem at once, and otherwise registers the configuration and the gates.</summary>
    public void ApplyTo(IReleaseGatesBuilder builder)
    {
        var binder = NewBinder();
        binder.BindObject(root, new ReleaseGatesOptions(), GatesProperty, WaiversProperty, GatePackagesProperty, HistoryProperty);
        ReadGatePackages(binder);
        ReadHistory(binder);
        var waivers = ReadWaivers(binder);
        var gates = Gates(binder);

        // Every gate is bound once and registered on a staging list first, so that a bad file adds nothing.
        var staging = new StagedGates();
        foreach (var (name, node, kind) in gates)
        {
            kind.Load(new GateFileContext(binder, node, source, baseDirectory), staging, name);
        }

        if (binder.Problems.Count > 0)
        {
            throw new ReleaseGatesConfigurationException($"{source} is not a valid ReleaseGates configuration", [.. binder.Problems.Select(MaskEnvironment)]);
        }

        if (root.Properties.Any(p => !string.Equals(p.Name, GatesProperty, StringComparison.OrdinalIgnoreCase)))
        {
            builder.Configure(options =>
            {
                NewBinder().BindObject(root, options, GatesProperty, WaiversProperty, GatePackagesProperty, HistoryProperty);
                foreach (var waiver in waivers)
                {
                    options.Waivers.Add(waiver); // added to those configured in C# or by another file, never replacing them
                }
            });
        }

        foreach (var registration in staging.Registrations)
        {
            builder.AddRegistration(registration);
        }
    }

    /// <summary>
    /// The file's <c>waivers</c>: an array of them, or the path (relative to this file) of a JSON file that holds one,
    /// as an array or as <c>{ "waivers": [...] }</c>, so that waivers can be reviewed on their own. Each waiver's own
    /// checks are placed at its node; the gates it names are checked when the evaluator is built, against every registration.
    /// </summary>
    private List<Waiver> ReadWaivers(ConfigBinder binder)
    {
        var waivers = new List<Waiver>();
        if (root.Kind != JsonTokenType.StartObject || root.Property(WaiversProperty) is not { } node)
        {
            return waivers;
        }

        if (node.Kind != JsonTokenType.String)
        {
            ReadWaiverList(binder, node, waivers);
            return waivers;
        }

        if (binder.ReadString(node) is not { } path)
        {
            return waivers;
        }

        ConfigNode file;
        try
        {
            // A regular file of a configuration's size only: a FIFO would block validate, /dev/zero would never end.
            var bytes = IO.SafeFile.ReadAllBytes(Resolve(path), JsonConfigurationReleaseGatesBuilderExtensions.MaximumFileBytes);
            file = ConfigNode.Parse(bytes.AsSpan().StartsWith("\uFEFF"u8) ? bytes.AsSpan(3) : bytes);
        }
        catch (IO.ReportFormatException e)
        {
            binder.Problem(node, $"the waivers file {path} {e.Problem}.");
            return waivers;
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $"{path}:{line + 1}:{(e.BytePositionInLine ?? 0) + 1}: " : $"{path}: ";
            binder.Problem(node, $"the waivers file is not valid JSON: {where}{e.Message}");
            return waivers;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            binder.Problem(node, $"the waivers file {path} cannot be read: {e.Message}");
            return waivers;
        }

        var fileBinder = new ConfigBinder(path, ReadVariable);
        var list = file;
        if (file.Kind == JsonTokenType.StartObject)
        {
            list = file.Property(WaiversProperty) ?? file;
            foreach (var (name, line, column, _) in file.Properties.Where(p => p.Name is not WaiversProperty and not "$schema"))
            {
                fileBinder.Problems.Add($"{path}:{line}:{column}: '{name}' has no place in a waivers file, which holds \"waivers\" only.");
            }
        }

        ReadWaiverList(fileBinder, list, waivers);
        binder.Problems.AddRange(fileBinder.Problems);
        return waivers;
    }

    private static void ReadWaiverList(ConfigBinder binder, ConfigNode node, List<Waiver> waivers)
    {
        if (node.Kind != JsonTokenType.StartArray)
        {
            binder.Problem(node, $"expected an array of waivers, or the path of a JSON file that holds one; found {node.KindName}.");
            return;
        }

        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in node.Items)
        {
            // Bound by its public init properties like any options object; what is missing is reported by its own checks.
            var waiver = new Waiver { Id = null!, Gate = null!, Reason = null!, ApprovedBy = null!, Expires = default };
            if (!binder.TryBindObject(item, waiver))
            {
                continue;
            }

            foreach (var problem in waiver.Problems(ids))
            {
                binder.Problem(item, problem);
            }

            waivers.Add(waiver);
        }
    }

    /// <summary>
    /// A problem message with every value that came from an environment variable written back as its reference
    /// (<c>${SECRET_TOKEN}.pem</c>), however the message came to hold it: a path in an exception's text, a value quoted.
    /// </summary>
    private string MaskEnvironment(string problem)
    {
        foreach (var (value, name) in _fromEnvironment.OrderByDescending(v => v.Key.Length))
        {
            problem = problem.Replace(value, "${" + name + "}", StringComparison.Ordinal);
        }

        return problem;
    }

    /// <summary>A path from the file, relative to the file's folder; the folder itself when none is given.</summary>
    public string Resolve(string? path) => Path.GetFullPath(Path.Combine(baseDirectory, path ?? "."));

    private ConfigBinder NewBinder()
    {
        DeclareTypes();
        return new(source, ReadVariable);
    }

    /// <summary>Declares the classes the file's top level holds (the subject, the scoring, a waiver) for the binder and the schema.</summary>
    internal static void DeclareTypes()
    {
        ConfigTypes.Item<ReleaseSubject>();
        ConfigTypes.Item<ScoringOptions>();
        ConfigTypes.Item<Waiver>();
        ConfigTypes.List<FingerprintFields>();
    }

    /// <summary>An environment variable's value, remembered (when long enough to mask) so that no problem message repeats it.</summary>
    private string? ReadVariable(string name)
    {
        var value = environment(name);
        if (value is { Length: >= IO.Redaction.MinimumSecretLength })
        {
            _fromEnvironment[value] = name;
        }

        return value;
    }

    private List<(string Name, ConfigNode Node, GateKind Kind)> Gates(ConfigBinder binder)
    {
        var gates = new List<(string, ConfigNode, GateKind)>();
        if (root.Kind != JsonTokenType.StartObject)
        {
            return gates;
        }

        var node = root.Property(GatesProperty);
        if (node is null)
        {
            return gates;
        }

        if (node.Kind != JsonTokenType.StartObject)
        {
            binder.Problem(node, $"expected an object of gates by name, found {node.KindName}.");
            return gates;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, _, _, gate) in node.Properties)
        {
            var type = gate.Kind == JsonTokenType.StartObject
                ? gate.Property(TypeProperty)
                : null;
            if (!names.Add(name))
            {
                binder.Problem(gate, $"a second gate named '{name}'.");
            }
            else if (type is null)
            {
                binder.Problem(gate, $"a gate needs a \"type\": one of {KnownTypes}.");
            }
            else if (binder.ReadString(type) is { } typeName && _kinds.TryGetValue(typeName, out var kind))
            {
                gates.Add((name, gate, kind));
            }
            else if (type.Kind == JsonTokenType.String)
            {
                binder.Problem(type, $"unknown gate type {ConfigBinder.Shown(type)}; expected one of {KnownTypes}, or the type of a gate package named in gatePackages (the tool) or given to AddFromJsonFile.");
            }
        }

        return gates;
    }

    private string KnownTypes => string.Join(", ", _kinds.Keys);

    /// <summary>
    /// The file's <c>gatePackages</c>: paths of gate-package assemblies, relative to the file, that the <c>release-gates</c>
    /// tool loads before it reads the gates. The library loads no assembly itself (a host passes the packages' kinds to
    /// <c>AddFromJsonFile</c>), so loading the file only checks the property's form.
    /// </summary>
    private List<string> ReadGatePackages(ConfigBinder binder)
    {
        var paths = new List<string>();
        if (root.Kind != JsonTokenType.StartObject || root.Property(GatePackagesProperty) is not { } node)
        {
            return paths;
        }

        if (node.Kind != JsonTokenType.StartArray)
        {
            binder.Problem(node, $"expected an array of gate-package assemblies (.dll paths relative to this file), found {node.KindName}.");
            return paths;
        }

        foreach (var item in node.Items)
        {
            if (binder.ReadString(item) is not { } path)
            {
                continue;
            }

            var full = Resolve(path);
            if (File.Exists(full))
            {
                paths.Add(full);
            }
            else
            {
                binder.Problem(item, $"the gate package {path} does not exist (paths are relative to this file).");
            }
        }

        return paths;
    }

    /// <summary>The full paths of the file's <c>gatePackages</c>, or every problem with them at once.</summary>
    public List<string> GatePackagePaths()
    {
        var binder = NewBinder();
        var paths = ReadGatePackages(binder);
        return binder.Problems.Count == 0
            ? paths
            : throw new ReleaseGatesConfigurationException($"{source} is not a valid ReleaseGates configuration", [.. binder.Problems.Select(MaskEnvironment)]);
    }

    /// <summary>
    /// The file's <c>history</c> section, checked: a SQLite path (relative to this file) or a PostgreSQL connection string
    /// that only an environment reference may give (a password in a committed file would be a leak), a baseline rule, and
    /// the fingerprint fields. <see langword="null"/> when there is none or it has problems (added to <paramref name="binder"/>).
    /// </summary>
    private ReleaseHistorySettings? ReadHistory(ConfigBinder binder)
    {
        if (root.Kind != JsonTokenType.StartObject || root.Property(HistoryProperty) is not { } node)
        {
            return null;
        }

        var form = new HistoryFileForm();
        if (!binder.TryBindObject(node, form))
        {
            return null;
        }

        var problems = binder.Problems.Count;
        var rule = ReadBaselineRule(binder, node, form);
        var variable = CheckHistoryStore(binder, node, form);
        if (form.Timeout <= TimeSpan.Zero || form.Timeout > TimeSpan.FromDays(1))
        {
            binder.Problem(node.Property("timeout")!, "the history timeout must be more than zero and at most a day.");
        }

        return binder.Problems.Count > problems ? null : new ReleaseHistorySettings
        {
            Store = form.Store,
            Path = form.Store == HistoryStoreKind.Sqlite ? Resolve(form.Path) : null,
            ConnectionString = form.ConnectionString,
            ConnectionStringVariable = variable,
            Baseline = rule,
            Record = form.Record,
            RunnerLabel = string.IsNullOrWhiteSpace(form.Runner) ? null : form.Runner.Trim(),
            Timeout = form.Timeout,
        };
    }

    /// <summary>The section's baseline rule with its fingerprint fields; <see langword="null"/> for <c>none</c> or a rule that is not one (a problem).</summary>
    private static BaselineRule? ReadBaselineRule(ConfigBinder binder, ConfigNode node, HistoryFileForm form)
    {
        if (string.Equals(form.Baseline.Trim(), "none", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (!BaselineRule.TryParse(form.Baseline, out var parsed, out var error))
        {
            binder.Problem(node.Property("baseline")!, error);
            return null;
        }

        var fields = form.Fingerprint is null ? FingerprintFields.Default : form.Fingerprint.Aggregate(FingerprintFields.None, (a, f) => a | f);
        return parsed with { Fingerprint = fields };
    }

    /// <summary>
    /// Checks that the store has what it needs: a SQLite path, or a PostgreSQL connection string that only an environment
    /// reference gives. Returns the variable's name for PostgreSQL.
    /// </summary>
    private static string? CheckHistoryStore(ConfigBinder binder, ConfigNode node, HistoryFileForm form)
    {
        if (form.Store == HistoryStoreKind.Sqlite)
        {
            if (string.IsNullOrWhiteSpace(form.Path))
            {
                binder.Problem(node, "a sqlite history needs \"path\": its file, relative to this file, such as \".releasegates/history.db\".");
            }

            if (form.ConnectionString is not null)
            {
                binder.Problem(node.Property("connectionString")!, "a sqlite history is a file: give \"path\", not \"connectionString\".");
            }

            return null;
        }

        if (form.Path is not null)
        {
            binder.Problem(node.Property("path")!, "a postgresql history is a database: give \"connectionString\", not \"path\".");
        }

        var raw = node.Property("connectionString")?.Text;
        var match = raw is null ? null : System.Text.RegularExpressions.Regex.Match(raw, @"^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$");
        if (match is { Success: true })
        {
            return match.Groups[1].Value;
        }

        binder.Problem(node.Property("connectionString") ?? node, "a postgresql history needs \"connectionString\" as an environment reference only, "
            + "such as \"${RELEASEGATES_HISTORY}\": a connection string holds a password, which has no place in a committed file.");
        return null;
    }

    /// <summary>The file's <c>history</c> section, or every problem with it at once; <see langword="null"/> when there is none.</summary>
    public ReleaseHistorySettings? HistorySettings()
    {
        var binder = NewBinder();
        var settings = ReadHistory(binder);
        return binder.Problems.Count == 0
            ? settings
            : throw new ReleaseGatesConfigurationException($"{source} is not a valid ReleaseGates configuration", [.. binder.Problems.Select(MaskEnvironment)]);
    }

    /// <summary>Registrations made while the file is checked, added to the real builder only when the whole file is valid.</summary>
    private sealed class StagedGates : IReleaseGatesBuilder
    {
        public List<GateRegistration> Registrations { get; } = [];

        public void AddRegistration(GateRegistration registration) => Registrations.Add(registration);

        public void AddConfiguration(Action<ReleaseGatesOptions> configure) =>
            throw new InvalidOperationException("A gate's registration does not change the evaluation settings.");
    }
}
