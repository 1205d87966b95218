using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace ReleaseGates;

/// <summary>
/// A parsed configuration file applied to a builder: checked in full first (every binding and option problem of every
/// gate, with positions), and only then registered, so a bad file adds nothing.
/// </summary>
[RequiresUnreferencedCode("Options are bound by reflection over their public properties.")]
[RequiresDynamicCode("Collections of options are created by reflection.")]
internal sealed class JsonConfigurationFile(ConfigNode root, string source, string baseDirectory, Func<string, string?> environment)
{
    /// <summary>Every value taken from an environment variable, with the variable's name: masked in every problem message.</summary>
    private readonly Dictionary<string, string> _fromEnvironment = new(StringComparer.Ordinal);

    private const string GatesProperty = "gates";
    private const string WaiversProperty = "waivers";
    private const string TypeProperty = "type";
    private const string SourceProperty = "source";
    private const string RequestsProperty = "requests";
    private const string BaselineProperty = "baseline";
    private const string CanaryProperty = "canary";
    private const string TrustedRootFilesProperty = "trustedRootFiles";

    /// <summary>The largest certificate file read: 1 MiB (a bundle of every public root is about 250 KB).</summary>
    private const long MaximumCertificateFileBytes = 1024 * 1024;

    /// <summary>The gate types a file can name, as the <c>type</c> of a gate.</summary>
    internal static readonly IReadOnlyDictionary<string, IGateKind> Kinds = new Dictionary<string, IGateKind>(StringComparer.OrdinalIgnoreCase)
    {
        ["coverage"] = new GateKind<CoverageGateOptions>((b, n, o) => b.AddCoverage(n, o), (o, f, _, _) => o.BaseDirectory = f.Resolve(o.BaseDirectory)),
        ["testResults"] = new GateKind<TestResultsGateOptions>((b, n, o) => b.AddTestResults(n, o), (o, f, _, _) => o.BaseDirectory = f.Resolve(o.BaseDirectory)),
        ["checklist"] = new GateKind<ChecklistGateOptions>((b, n, o) => b.AddChecklist(n, o), (o, f, _, _) => o.BaseDirectory = f.Resolve(o.BaseDirectory)),
        ["latency"] = new GateKind<LatencyGateOptions>((b, n, o) => b.AddLatency(n, o), (o, f, node, binder) => o.Source = f.ReadSource(node, binder), SourceProperty),
        ["errorRate"] = new GateKind<ErrorRateGateOptions>((b, n, o) => b.AddErrorRate(n, o), (o, f, node, binder) => o.Source = f.ReadSource(node, binder), SourceProperty),
        ["securityHeaders"] = new GateKind<SecurityHeadersGateOptions>((b, n, o) => b.AddSecurityHeaders(n, o)),
        ["smokeTests"] = new GateKind<SmokeTestsGateOptions>((b, n, o) => b.AddSmokeTests(n, o), (o, _, node, binder) => ReadRequests(node, binder, o.Requests), RequestsProperty),
        ["healthChecks"] = new GateKind<HealthChecksGateOptions>((b, n, o) => b.AddHealthChecks(n, o)),
        ["metric"] = new GateKind<MetricGateOptions>((b, n, o) => b.AddMetric(n, o), (o, f, node, binder) => o.Source = ReadMetricSource(node, binder), SourceProperty),
        ["canary"] = new GateKind<CanaryGateOptions>((b, n, o) => b.AddCanary(n, o), (o, f, node, binder) => (o.Baseline, o.Canary) = (f.ReadSource(node, binder, BaselineProperty), f.ReadSource(node, binder, CanaryProperty)), BaselineProperty, CanaryProperty),
        ["tls"] = new GateKind<TlsGateOptions>((b, n, o) => b.AddTls(n, o), (o, f, node, binder) => f.ReadTrustedRoots(node, binder, o.TrustedRoots), TrustedRootFilesProperty),
        ["hostResources"] = new GateKind<HostResourcesGateOptions>((b, n, o) => b.AddHostResources(n, o), (o, f, _, _) => o.DiskPath = o.DiskPath is null ? null : f.Resolve(o.DiskPath)),
    };

    /// <summary>What a gate type does with its node: bind it once into its options and register them.</summary>
    internal interface IGateKind
    {
        Type OptionsType { get; }

        IReadOnlyList<string> Handled { get; }

        /// <summary>
        /// Binds the node into a new options object, once, and registers it on <paramref name="staging"/> through the
        /// gate's instance overload; registration's own validation (the only one) is placed at the gate's node.
        /// </summary>
        void Register(JsonConfigurationFile file, ConfigBinder binder, IReleaseGatesBuilder staging, string name, ConfigNode node);
    }

    /// <summary>Checks the whole file, throws every problem at once, and otherwise registers the configuration and the gates.</summary>
    public void ApplyTo(IReleaseGatesBuilder builder)
    {
        var binder = NewBinder();
        binder.BindObject(root, new ReleaseGatesOptions(), GatesProperty, WaiversProperty);
        var waivers = ReadWaivers(binder);
        var gates = Gates(binder);

        // Every gate is bound once and registered on a staging list first, so that a bad file adds nothing.
        var staging = new StagedGates();
        foreach (var (name, node, kind) in gates)
        {
            kind.Register(this, binder, staging, name, node);
        }

        if (binder.Problems.Count > 0)
        {
            throw new ReleaseGatesConfigurationException($"{source} is not a valid ReleaseGates configuration", [.. binder.Problems.Select(MaskEnvironment)]);
        }

        if (root.Properties.Any(p => !string.Equals(p.Name, GatesProperty, StringComparison.OrdinalIgnoreCase)))
        {
            builder.Configure(options =>
            {
                NewBinder().BindObject(root, options, GatesProperty, WaiversProperty);
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
            var before = binder.Problems.Count;
            binder.BindObject(item, waiver);
            if (binder.Problems.Count > before)
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

    private ConfigBinder NewBinder() => new(source, ReadVariable);

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

    private List<(string Name, ConfigNode Node, IGateKind Kind)> Gates(ConfigBinder binder)
    {
        var gates = new List<(string, ConfigNode, IGateKind)>();
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
                binder.Problem(gate, $"a gate needs a \"type\": one of {string.Join(", ", Kinds.Keys)}.");
            }
            else if (binder.ReadString(type) is { } typeName && Kinds.TryGetValue(typeName, out var kind))
            {
                gates.Add((name, gate, kind));
            }
            else if (type.Kind == JsonTokenType.String)
            {
                binder.Problem(type, $"unknown gate type {ConfigBinder.Shown(type)}; expected one of {string.Join(", ", Kinds.Keys)}.");
            }
        }

        return gates;
    }

    /// <summary>A latency or error-rate gate's <c>source</c>: one of a k6 summary, a JMeter JTL file, a HAR file, a load probe or Prometheus.</summary>
    private RequestMetricsSource? ReadSource(ConfigNode gate, ConfigBinder binder, string property = SourceProperty)
    {
        var node = gate.Property(property);
        if (node is null)
        {
            return null;
        }

        var config = new RequestMetricsSourceConfiguration();
        var before = binder.Problems.Count;
        binder.BindObject(node, config);
        if (binder.Problems.Count > before)
        {
            return null;
        }

        var chosen = new[] { config.K6Summary is not null, config.JMeterJtl is not null, config.Har is not null, config.LoadProbe is not null, config.Prometheus is not null }.Count(c => c);
        if (chosen != 1)
        {
            binder.Problem(node, "set exactly one of k6Summary, jMeterJtl, har, loadProbe and prometheus.");
            return null;
        }

        return config switch
        {
            { K6Summary: { } k6 } => RequestMetricsSource.FromK6Summary(Resolve(k6), config.DurationMetric ?? "http_req_duration"),
            { JMeterJtl: { } jtl } => RequestMetricsSource.FromJMeterJtl(Resolve(jtl), config.Labels.Count == 0 ? null : config.Labels),
            { Har: { } har } => RequestMetricsSource.FromHar(Resolve(har), config.Urls.Count == 0 ? null : config.Urls),
            { Prometheus: { } prometheus } => RequestMetricsSource.FromPrometheus(prometheus),
            _ => RequestMetricsSource.FromLoadProbe(config.LoadProbe!),
        };
    }

    /// <summary>
    /// A TLS gate's <c>trustedRootFiles</c>: certificate files (PEM, one or more certificates each, or DER), relative to
    /// this file, whose certificates are the roots chains are built to instead of the system's.
    /// </summary>
    private void ReadTrustedRoots(ConfigNode gate, ConfigBinder binder, System.Security.Cryptography.X509Certificates.X509Certificate2Collection roots)
    {
        if (gate.Property(TrustedRootFilesProperty) is not { } node)
        {
            return;
        }

        if (node.Kind != JsonTokenType.StartArray)
        {
            binder.Problem(node, $"expected an array of certificate files (PEM or DER), found {node.KindName}.");
            return;
        }

        foreach (var item in node.Items)
        {
            if (binder.ReadString(item) is not { } path)
            {
                continue;
            }

            try
            {
                var before = roots.Count;
                var bytes = IO.SafeFile.ReadAllBytes(Resolve(path), MaximumCertificateFileBytes);
                if (System.Text.Encoding.ASCII.GetString(bytes).Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
                {
                    roots.ImportFromPem(System.Text.Encoding.ASCII.GetString(bytes));
                }
                else
                {
#if NET9_0_OR_GREATER
                    roots.Add(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(bytes));
#else
                    roots.Add(new System.Security.Cryptography.X509Certificates.X509Certificate2(bytes));
#endif
                }

                if (roots.Count == before)
                {
                    binder.Problem(item, $"{path} holds no certificate.");
                }
            }
            catch (IO.ReportFormatException e)
            {
                binder.Problem(item, $"the certificate file {path} {e.Problem}.");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or System.Security.Cryptography.CryptographicException)
            {
                binder.Problem(item, $"{path} is not a readable certificate file (PEM or DER): {e.Message}");
            }
        }
    }

    /// <summary>A metric gate's <c>source</c>: a Prometheus server and a query.</summary>
    private static MetricSource? ReadMetricSource(ConfigNode gate, ConfigBinder binder)
    {
        var node = gate.Property(SourceProperty);
        if (node is null)
        {
            return null;
        }

        var config = new MetricSourceConfiguration();
        var before = binder.Problems.Count;
        binder.BindObject(node, config);
        if (binder.Problems.Count > before)
        {
            return null;
        }

        if (config.Prometheus is not { } connection || string.IsNullOrWhiteSpace(config.Query))
        {
            binder.Problem(node, "set prometheus (the server: baseAddress and, if needed, bearerToken or username and password) and query (PromQL that yields one number).");
            return null;
        }

        return MetricSource.FromPrometheus(connection, config.Query);
    }

    /// <summary>A smoke-tests gate's <c>requests</c>: each an object with a <c>path</c> and the expectations.</summary>
    private static void ReadRequests(ConfigNode gate, ConfigBinder binder, IList<SmokeRequest> requests)
    {
        var node = gate.Property(RequestsProperty);
        if (node is null)
        {
            return;
        }

        if (node.Kind != JsonTokenType.StartArray)
        {
            binder.Problem(node, $"expected an array of requests, found {node.KindName}.");
            return;
        }

        foreach (var item in node.Items)
        {
            var config = new SmokeRequestConfiguration();
            var before = binder.Problems.Count;
            binder.BindObject(item, config);
            if (binder.Problems.Count > before)
            {
                continue;
            }

            if (string.IsNullOrWhiteSpace(config.Path))
            {
                binder.Problem(item, "a request needs a \"path\" (relative to baseAddress, or an absolute URL).");
                continue;
            }

            requests.Add(config.ToRequest());
        }
    }

    /// <summary>Registrations made while the file is checked, added to the real builder only when the whole file is valid.</summary>
    private sealed class StagedGates : IReleaseGatesBuilder
    {
        public List<GateRegistration> Registrations { get; } = [];

        public void AddRegistration(GateRegistration registration) => Registrations.Add(registration);

        public void AddConfiguration(Action<ReleaseGatesOptions> configure) =>
            throw new InvalidOperationException("A gate's registration does not change the evaluation settings.");
    }

    [RequiresUnreferencedCode("Options are bound by reflection over their public properties.")]
    [RequiresDynamicCode("Collections of options are created by reflection.")]
    private sealed class GateKind<TOptions>(
        Func<IReleaseGatesBuilder, string, TOptions, IReleaseGatesBuilder> add,
        Action<TOptions, JsonConfigurationFile, ConfigNode, ConfigBinder>? complete = null,
        params string[] handled) : IGateKind
        where TOptions : GateOptions, new()
    {
        private readonly string[] _handled = [TypeProperty, .. handled];

        public Type OptionsType => typeof(TOptions);

        public IReadOnlyList<string> Handled => handled;

        public void Register(JsonConfigurationFile file, ConfigBinder binder, IReleaseGatesBuilder staging, string name, ConfigNode node)
        {
            var options = new TOptions();
            var before = binder.Problems.Count;
            Bind(file, binder, node, options);
            if (binder.Problems.Count > before)
            {
                return;
            }

            try
            {
                add(staging, name, options);
            }
            catch (ReleaseGatesConfigurationException e)
            {
                // The registration's checks, the same a gate added in C# gets, placed at the gate's node.
                foreach (var problem in e.Problems)
                {
                    binder.Problem(node, problem);
                }
            }
        }

        private void Bind(JsonConfigurationFile file, ConfigBinder binder, ConfigNode node, TOptions options)
        {
            binder.BindObject(node, options, _handled);
            complete?.Invoke(options, file, node, binder);
        }
    }
}
