using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ReleaseGates;

/// <summary>
/// Reads OpenSLO v1 YAML strictly: <c>SLO</c>, <c>SLI</c> and <c>DataSource</c> objects are read field by field; every
/// field the specification defines that this reader does not support, and every field it does not define, is a problem
/// at <c>file:line:column</c> saying what is not supported. <c>Service</c> and the alerting objects (<c>AlertPolicy</c>,
/// <c>AlertCondition</c>, <c>AlertNotificationTarget</c>) change no SLO's numbers: they load and are not used.
/// </summary>
internal sealed class OpenSloReader
{
    /// <summary>The largest file read: SLO files are small, and YAML aliases can make a small file expensive.</summary>
    internal const long MaximumFileBytes = 4 * 1024 * 1024;

    private static readonly string[] MetadataFields = ["name", "displayName", "labels", "annotations"];
    private static readonly string[] NotUsedKinds = ["Service", "AlertPolicy", "AlertCondition", "AlertNotificationTarget"];
    private static readonly string[] CompositeFields = ["indicator", "indicatorRef", "compositeWeight"];
    private static readonly string[] RawFields = ["raw", "rawType"];

    private readonly string _file;
    private readonly List<string> _problems = [];
    private readonly OpenSloDocument _document = new();

    private OpenSloReader(string file) => _file = file;

    /// <summary>Reads the file; every problem at once, as a <see cref="ReleaseGatesConfigurationException"/>.</summary>
    public static OpenSloDocument Read(string path)
    {
        var reader = new OpenSloReader(path);
        string text;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaximumFileBytes)
            {
                throw new ReleaseGatesConfigurationException($"OpenSLO file {path}",
                    [$"{path}: {info.Length:N0} bytes, more than the {MaximumFileBytes:N0} an SLO file may have."]);
            }

            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ReleaseGatesConfigurationException($"OpenSLO file {path}", [$"{path}: cannot be read: {e.Message}"]);
        }

        reader.ReadText(text);
        return reader._problems.Count > 0
            ? throw new ReleaseGatesConfigurationException($"OpenSLO file {path}", reader._problems)
            : reader._document;
    }

    private void ReadText(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            _problems.Add($"{_file}:{e.Start.Line}:{e.Start.Column}: not valid YAML: {e.InnerException?.Message ?? e.Message}");
            return;
        }

        foreach (var document in stream.Documents)
        {
            if (document.RootNode is YamlScalarNode { Value: null or "" })
            {
                continue; // an empty document between two ---
            }

            if (Mapping(document.RootNode, "an OpenSLO object") is { } root)
            {
                ReadObject(root);
            }
        }

        if (_problems.Count == 0 && _document.Slos.Count == 0)
        {
            _problems.Add($"{_file}: holds no OpenSLO v1 object of kind SLO.");
        }
    }

    private void ReadObject(YamlMappingNode root)
    {
        var fields = Fields(root, "an OpenSLO object", "apiVersion", "kind", "metadata", "spec");
        var apiVersion = Text(fields, "apiVersion", root, "an OpenSLO object", required: true);
        var kind = Text(fields, "kind", root, "an OpenSLO object", required: true);
        if (apiVersion is null || kind is null)
        {
            return;
        }

        if (apiVersion != "openslo/v1")
        {
            _problems.Add($"{At(fields["apiVersion"])}: apiVersion '{apiVersion}' is not read; this reader reads openslo/v1 "
                + (apiVersion.StartsWith("openslo/", StringComparison.Ordinal) ? "(v1alpha and v2alpha differ in their fields)." : "objects."));
            return;
        }

        var name = Metadata(fields, root, kind);
        if (name is null || NotUsedKinds.Contains(kind, StringComparer.Ordinal))
        {
            return;
        }

        var spec = fields.TryGetValue("spec", out var specNode) ? Mapping(specNode, $"the spec of {kind} '{name}'") : null;
        if (spec is null)
        {
            _problems.Add($"{At(root)}: {kind} '{name}' has no spec.");
            return;
        }

        switch (kind)
        {
            case "SLO":
                ReadSlo(name, spec, root);
                break;
            case "SLI":
                if (ReadIndicatorSpec(spec, $"SLI '{name}'") is { } ratio && !_document.Indicators.TryAdd(name, (ratio, At(root))))
                {
                    _problems.Add($"{At(root)}: a second SLI named '{name}'.");
                }

                break;
            case "DataSource":
                ReadDataSource(name, spec, root);
                break;
            default:
                _problems.Add($"{At(fields["kind"])}: kind '{kind}' is not an OpenSLO v1 kind (SLO, SLI, DataSource, Service, AlertPolicy, "
                    + "AlertCondition, AlertNotificationTarget).");
                break;
        }
    }

    private string? Metadata(Dictionary<string, YamlNode> fields, YamlMappingNode root, string kind)
    {
        if (!fields.TryGetValue("metadata", out var node) || Mapping(node, $"the metadata of a {kind}") is not { } metadata)
        {
            _problems.Add($"{At(root)}: the {kind} has no metadata with a name.");
            return null;
        }

        var name = Text(Fields(metadata, $"the metadata of a {kind}", MetadataFields), "name", metadata, $"the metadata of a {kind}", required: true);
        return name;
    }

    private void ReadSlo(string name, YamlMappingNode spec, YamlMappingNode root)
    {
        var where = $"SLO '{name}'";
        var fields = Fields(spec, $"the spec of {where}",
            "description", "service", "indicator", "indicatorRef", "timeWindow", "budgetingMethod", "objectives", "alertPolicies");
        OpenSloRatio? indicator = null;
        if (fields.TryGetValue("indicator", out var inline) && Mapping(inline, $"the indicator of {where}") is { } sli)
        {
            var sliFields = Fields(sli, $"the indicator of {where}", "metadata", "spec");
            if (sliFields.TryGetValue("metadata", out var sliMetadata) && Mapping(sliMetadata, $"the indicator's metadata of {where}") is { } sliMeta)
            {
                _ = Fields(sliMeta, $"the indicator's metadata of {where}", MetadataFields);
            }
            if (sliFields.TryGetValue("spec", out var sliSpec) && Mapping(sliSpec, $"the indicator's spec of {where}") is { } s)
            {
                indicator = ReadIndicatorSpec(s, $"the indicator of {where}");
            }
            else
            {
                _problems.Add($"{At(inline)}: the indicator of {where} has no spec.");
            }
        }

        var indicatorRef = Text(fields, "indicatorRef", spec, where);
        if (fields.ContainsKey("indicator") == (indicatorRef is not null))
        {
            _problems.Add($"{At(spec)}: {where} needs exactly one of indicator and indicatorRef.");
        }

        var method = Text(fields, "budgetingMethod", spec, where, required: true) switch
        {
            null => (SloBudgetingMethod?)null,
            "Occurrences" => SloBudgetingMethod.Occurrences,
            "Timeslices" => SloBudgetingMethod.Timeslices,
            "RatioTimeslices" => SloBudgetingMethod.RatioTimeslices,
            var other => Problem<SloBudgetingMethod?>(fields["budgetingMethod"],
                $"budgetingMethod '{other}' is not one of Occurrences, Timeslices and RatioTimeslices."),
        };
        var (rolling, calendar) = ReadTimeWindow(fields, spec, where);
        var objectives = ReadObjectives(fields, spec, where, method);
        if (method is { } m && objectives is not null && (rolling is not null || calendar is not null))
        {
            _document.Slos.Add(new OpenSloSlo(name, Text(fields, "service", spec, where), indicator, indicatorRef, rolling, calendar, m,
                objectives, At(root)));
        }
    }

    private (TimeSpan? Rolling, SloCalendar? Calendar) ReadTimeWindow(Dictionary<string, YamlNode> fields, YamlMappingNode spec, string where)
    {
        if (!fields.TryGetValue("timeWindow", out var node))
        {
            _problems.Add($"{At(spec)}: {where} has no timeWindow; an error budget is counted over one.");
            return (null, null);
        }

        if (Sequence(node, $"the timeWindow of {where}") is not { } list)
        {
            return (null, null);
        }

        if (list.Children.Count != 1 || Mapping(list.Children[0], $"the timeWindow of {where}") is not { } window)
        {
            _problems.Add($"{At(node)}: the timeWindow of {where} must hold exactly one window, but holds {list.Children.Count}.");
            return (null, null);
        }

        var w = Fields(window, $"the timeWindow of {where}", "duration", "isRolling", "calendar");
        var duration = Text(w, "duration", window, $"the timeWindow of {where}", required: true);
        var isRolling = Bool(w, "isRolling", $"the timeWindow of {where}");
        if (duration is null || !IsShorthand(duration))
        {
            return duration is null ? (null, null)
                : Problem<(TimeSpan?, SloCalendar?)>(w["duration"],
                    $"duration '{duration}' is not a duration shorthand (a whole number and one of m, h, d, w, M, Q, Y).");
        }

        if (!w.TryGetValue("calendar", out var calendarNode))
        {
            if (isRolling is false)
            {
                return Problem<(TimeSpan?, SloCalendar?)>(window, $"the timeWindow of {where} is not rolling (isRolling: false) but has no calendar.");
            }

            return Duration(w["duration"], duration, "a rolling window") is { } rolling ? (rolling, null) : (null, null);
        }

        return isRolling is true
            ? Problem<(TimeSpan?, SloCalendar?)>(window, $"the timeWindow of {where} is rolling (isRolling: true) and has a calendar; choose one.")
            : (null, ReadCalendar(calendarNode, w["duration"], duration, where));
    }

    private SloCalendar? ReadCalendar(YamlNode node, YamlNode durationNode, string duration, string where)
    {
        if (duration.EndsWith('m'))
        {
            return Problem<SloCalendar?>(durationNode, $"duration '{duration}' is {duration[..^1]} minute(s) in OpenSLO (months are M); a calendar "
                + "period of minutes is not read. Write 1M for a month.");
        }

        if (Mapping(node, $"the calendar of {where}") is not { } calendar)
        {
            return null;
        }

        var fields = Fields(calendar, $"the calendar of {where}", "startTime", "timeZone");
        var start = Text(fields, "startTime", calendar, $"the calendar of {where}", required: true);
        var zone = Text(fields, "timeZone", calendar, $"the calendar of {where}", required: true);
        if (start is null || zone is null)
        {
            return null;
        }

        if (!DateTime.TryParseExact(start, ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"],
            CultureInfo.InvariantCulture, DateTimeStyles.None, out var startTime))
        {
            return Problem<SloCalendar?>(fields["startTime"],
                $"startTime '{start}' is not a date and time as OpenSLO writes it (2022-01-01 12:00:00, no offset).");
        }

        try
        {
            _ = TimeZoneInfo.FindSystemTimeZoneById(zone);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return Problem<SloCalendar?>(fields["timeZone"], $"timeZone '{zone}' is not a time zone this machine knows (an IANA name).");
        }

        return new SloCalendar { Start = startTime, TimeZone = zone, Period = duration };
    }

    private List<OpenSloObjective>? ReadObjectives(Dictionary<string, YamlNode> fields, YamlMappingNode spec, string where, SloBudgetingMethod? method)
    {
        if (!fields.TryGetValue("objectives", out var node) || Sequence(node, $"the objectives of {where}") is not { Children.Count: > 0 } list)
        {
            _problems.Add($"{At(fields.GetValueOrDefault("objectives") ?? spec)}: {where} has no objectives.");
            return null;
        }

        var result = new List<OpenSloObjective>();
        var before = _problems.Count;
        foreach (var item in list.Children)
        {
            if (Mapping(item, $"an objective of {where}") is not { } objective)
            {
                continue;
            }

            var o = Fields(objective, $"an objective of {where}", "displayName", "op", "value", "target", "targetPercent", "timeSliceTarget",
                "timeSliceWindow", "indicator", "indicatorRef", "compositeWeight");
            foreach (var composite in CompositeFields.Where(o.ContainsKey))
            {
                _problems.Add($"{At(o[composite])}: {composite} in an objective makes a composite SLO, which is not read; write one SLO per indicator.");
            }

            // With a ratio, op can only say that the SLI must reach the target, which is what the budget means; a value
            // belongs to a thresholdMetric.
            if (o.TryGetValue("value", out var value))
            {
                _problems.Add($"{At(value)}: value compares a thresholdMetric's values, which is not read; the indicator is a ratioMetric.");
            }

            if (Text(o, "op", objective, $"an objective of {where}") is { } op && op is not ("gt" or "gte"))
            {
                _problems.Add($"{At(o["op"])}: op '{op}' would ask the SLI to stay below the target; an objective of a ratioMetric is gt or gte.");
            }

            var target = Number(o, "target", $"an objective of {where}");
            var percent = Number(o, "targetPercent", $"an objective of {where}");
            if ((target is null) == (percent is null))
            {
                _problems.Add($"{At(objective)}: an objective of {where} needs exactly one of target and targetPercent.");
                continue;
            }

            var share = target ?? percent!.Value / 100;
            if (!(share > 0 && share < 1))
            {
                _problems.Add($"{At(o.GetValueOrDefault("target") ?? o["targetPercent"])}: the target must lie between 0 and 1 "
                    + "(targetPercent between 0 and 100), both excluded.");
                continue;
            }

            var sliceTarget = Number(o, "timeSliceTarget", $"an objective of {where}");
            var hasSliceWindow = o.TryGetValue("timeSliceWindow", out var sw);
            var sliceWindow = hasSliceWindow ? SliceWindow(sw!) : null;
            if (method is SloBudgetingMethod.Timeslices or SloBudgetingMethod.RatioTimeslices && !hasSliceWindow)
            {
                _problems.Add($"{At(objective)}: timeSliceWindow is required with {method}.");
            }

            if (method is SloBudgetingMethod.Timeslices && sliceTarget is not (> 0 and <= 1))
            {
                _problems.Add($"{At(o.GetValueOrDefault("timeSliceTarget") ?? objective)}: timeSliceTarget (above 0, at most 1) is required with Timeslices.");
            }

            if (method is SloBudgetingMethod.Occurrences && (sliceTarget is not null || hasSliceWindow))
            {
                _problems.Add($"{At(objective)}: timeSliceTarget and timeSliceWindow apply to Timeslices and RatioTimeslices, not to Occurrences.");
            }

            result.Add(new OpenSloObjective(Text(o, "displayName", objective, where), share, sliceTarget, sliceWindow, At(objective)));
        }

        return _problems.Count > before ? null : result;
    }

    /// <summary>A <c>ratioMetric</c> indicator; a <c>thresholdMetric</c> and a precomputed <c>raw</c> ratio are refused.</summary>
    private OpenSloRatio? ReadIndicatorSpec(YamlMappingNode spec, string where)
    {
        var fields = Fields(spec, $"the spec of {where}", "description", "ratioMetric", "thresholdMetric");
        if (fields.TryGetValue("thresholdMetric", out var threshold))
        {
            return Problem<OpenSloRatio?>(threshold, $"{where}: a thresholdMetric (sampled values compared with a threshold) is not read. Write a latency "
                + "SLI as a ratioMetric of the histogram: good: ..._bucket{le=\"0.5\"}, total: ..._count.");
        }

        if (!fields.TryGetValue("ratioMetric", out var node))
        {
            return Problem<OpenSloRatio?>(spec, $"{where} has neither ratioMetric nor thresholdMetric.");
        }

        if (Mapping(node, $"the ratioMetric of {where}") is not { } ratio)
        {
            return null;
        }

        var r = Fields(ratio, $"the ratioMetric of {where}", "counter", "good", "bad", "total", "raw", "rawType");
        foreach (var raw in RawFields.Where(r.ContainsKey))
        {
            _problems.Add($"{At(r[raw])}: {where}: a precomputed ratio ({raw}) is not read; an error budget is counted from good or bad and total events.");
        }

        if (r.ContainsKey("good") == r.ContainsKey("bad") || !r.TryGetValue("total", out var totalNode))
        {
            return Problem<OpenSloRatio?>(ratio, $"the ratioMetric of {where} needs total and exactly one of good and bad.");
        }

        var counter = Bool(r, "counter", $"the ratioMetric of {where}") ?? true;
        var total = MetricSource(totalNode, $"the total of {where}");
        var good = r.TryGetValue("good", out var g) ? MetricSource(g, $"the good events of {where}") : null;
        var bad = r.TryGetValue("bad", out var b) ? MetricSource(b, $"the bad events of {where}") : null;
        return total is null || (good ?? bad) is null ? null : new OpenSloRatio(counter, total, good, bad);
    }

    private OpenSloMetricSource? MetricSource(YamlNode node, string where)
    {
        if (Mapping(node, where) is not { } holder)
        {
            return null;
        }

        var h = Fields(holder, where, "metricSource");
        if (!h.TryGetValue("metricSource", out var sourceNode) || Mapping(sourceNode, $"the metricSource of {where}") is not { } source)
        {
            return Problem<OpenSloMetricSource?>(holder, $"{where} has no metricSource.");
        }

        var s = Fields(source, $"the metricSource of {where}", "metricSourceRef", "type", "spec");
        var type = Text(s, "type", source, where);
        var reference = Text(s, "metricSourceRef", source, where);
        if (!s.TryGetValue("spec", out var specNode) || Mapping(specNode, $"the metricSource spec of {where}") is not { } spec)
        {
            return Problem<OpenSloMetricSource?>(source, $"the metricSource of {where} has no spec with a query.");
        }

        var q = Fields(spec, $"the metricSource spec of {where} (a Prometheus source reads only query)", "query");
        var query = Text(q, "query", spec, $"the metricSource spec of {where}", required: true);
        return query is null ? null : new OpenSloMetricSource(query, type, reference, At(source));
    }

    private void ReadDataSource(string name, YamlMappingNode spec, YamlMappingNode root)
    {
        var where = $"DataSource '{name}'";
        var fields = Fields(spec, $"the spec of {where}", "description", "type", "connectionDetails");
        var type = Text(fields, "type", spec, where, required: true);
        if (type is null)
        {
            return;
        }

        Uri? url = null;
        if (string.Equals(type, "Prometheus", StringComparison.OrdinalIgnoreCase) && fields.TryGetValue("connectionDetails", out var details)
            && Mapping(details, $"the connectionDetails of {where}") is { } connection)
        {
            // Only the address: a credential in an SLO file would be committed with it. Tokens go in code or releasegates.json.
            var c = Fields(connection, $"the connectionDetails of {where} (only url is read: credentials are given with the gate's prometheus "
                + "connection, never in the SLO file)", "url");
            if (Text(c, "url", connection, where) is { } text)
            {
                // The value is never repeated: a URL may carry a user and password.
                url = !Uri.TryCreate(text, UriKind.Absolute, out var u) || (u.Scheme != Uri.UriSchemeHttp && u.Scheme != Uri.UriSchemeHttps)
                    ? Problem<Uri?>(c["url"], $"the url of {where} is not an absolute http or https address.")
                    : !string.IsNullOrEmpty(u.UserInfo)
                        ? Problem<Uri?>(c["url"], $"the url of {where} carries credentials, which are not read from the SLO file: give them with the "
                            + "gate's prometheus connection.")
                        : u;
            }
        }

        if (!_document.DataSources.TryAdd(name, new OpenSloDataSource(name, type, url, At(root))))
        {
            _problems.Add($"{At(root)}: a second DataSource named '{name}'.");
        }
    }

    /// <summary>A duration shorthand: a positive whole number and one of m, h, d, w, M, Q, Y.</summary>
    private static bool IsShorthand(string text)
        => text.Length >= 2 && "mhdwMQY".Contains(text[^1], StringComparison.Ordinal)
            && long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0;

    /// <summary>A rolling window's or a slice's length: m, h, d, w are fixed; a month, quarter or year has no fixed length.</summary>
    private TimeSpan? Duration(YamlNode node, string text, string what)
    {
        var unit = text.Length >= 2 ? text[^1] : ' ';
        if (!long.TryParse(text.AsSpan(0, Math.Max(0, text.Length - 1)), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count <= 0)
        {
            return Problem<TimeSpan?>(node, $"'{text}' is not a duration shorthand (a positive whole number and one of m, h, d, w, M, Q, Y).");
        }

        return unit switch
        {
            'm' => TimeSpan.FromMinutes(count),
            'h' => TimeSpan.FromHours(count),
            'd' => TimeSpan.FromDays(count),
            'w' => TimeSpan.FromDays(7 * count),
            'M' or 'Q' or 'Y' => Problem<TimeSpan?>(node, $"'{text}' as {what}: months, quarters and years have no fixed length, so a rolling window "
                + "of them is not read; write days (30d) or use a calendar window."),
            _ => Problem<TimeSpan?>(node, $"'{text}' is not a duration shorthand (a positive whole number and one of m, h, d, w, M, Q, Y)."),
        };
    }

    /// <summary><c>timeSliceWindow</c>: a shorthand, or a number of minutes as OpenSLO allows.</summary>
    private TimeSpan? SliceWindow(YamlNode node)
    {
        if (node is not YamlScalarNode { Value: { } text })
        {
            return Problem<TimeSpan?>(node, "timeSliceWindow is a duration shorthand (1m, 5m) or a number of minutes.");
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) && minutes > 0
            ? TimeSpan.FromMinutes(minutes)
            : Duration(node, text, "a time slice");
    }

    private Dictionary<string, YamlNode> Fields(YamlMappingNode node, string where, params string[] allowed)
    {
        var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (key, value) in node.Children)
        {
            var name = (key as YamlScalarNode)?.Value;
            if (name is null || !allowed.Contains(name, StringComparer.Ordinal))
            {
                _problems.Add($"{At(key)}: '{name ?? key.ToString()}' is not read in {where} (fields read: {string.Join(", ", allowed)}).");
                continue;
            }

            if (value is not YamlScalarNode { Value: null or "", Style: ScalarStyle.Plain })
            {
                fields[name] = value;
            }
        }

        return fields;
    }

    private string? Text(Dictionary<string, YamlNode> fields, string name, YamlNode parent, string where, bool required = false)
    {
        if (!fields.TryGetValue(name, out var node))
        {
            return required ? Problem<string?>(parent, $"{where} has no {name}.") : null;
        }

        return node is YamlScalarNode { Value: { Length: > 0 } value } ? value : Problem<string?>(node, $"{name} of {where} must be a text.");
    }

    private double? Number(Dictionary<string, YamlNode> fields, string name, string where)
        => !fields.TryGetValue(name, out var node) ? null
            : node is YamlScalarNode { Value: { } text } && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                && double.IsFinite(value) ? value
            : Problem<double?>(node, $"{name} of {where} must be a number.");

    private bool? Bool(Dictionary<string, YamlNode> fields, string name, string where)
        => !fields.TryGetValue(name, out var node) ? null
            : node is YamlScalarNode { Value: "true" or "false" } scalar ? scalar.Value == "true"
            : Problem<bool?>(node, $"{name} of {where} must be true or false.");

    private YamlMappingNode? Mapping(YamlNode node, string what)
        => node as YamlMappingNode ?? Problem<YamlMappingNode?>(node, $"{what} must be a mapping of fields.");

    private YamlSequenceNode? Sequence(YamlNode node, string what)
        => node as YamlSequenceNode ?? Problem<YamlSequenceNode?>(node, $"{what} must be a list.");

    private T Problem<T>(YamlNode node, string message)
    {
        _problems.Add($"{At(node)}: {message}");
        return default!;
    }

    private OpenSloPosition At(YamlNode node) => new(_file, node.Start.Line, node.Start.Column);
}
