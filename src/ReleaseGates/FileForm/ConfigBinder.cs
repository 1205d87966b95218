using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ReleaseGates;

/// <summary>
/// Binds configuration nodes to options objects by their public properties (names compared case-insensitively, so the
/// file's camelCase matches the C# names), collecting every problem with its file, line and column. Unknown properties
/// are problems, never ignored. Strings may refer to environment variables as <c>${NAME}</c>; a value that came from one
/// is never repeated in a message. Every class it binds is described by <see cref="ConfigTypes"/>, from a type parameter
/// that keeps its properties through trimming: nothing here reflects over a type the trimmer does not know.
/// </summary>
internal sealed partial class ConfigBinder(string source, Func<string, string?> environment)
{
    /// <summary>Every problem found so far, each starting with <c>file:line:column</c>.</summary>
    public List<string> Problems { get; } = [];

    public void Problem(ConfigNode node, string message) =>
        Problems.Add($"{source}:{node.Line}:{node.Column}: {node.Path}: {message}");

    /// <summary>Binds an object node's properties to <paramref name="target"/>; the names in <paramref name="handled"/> are the caller's.</summary>
    public void BindObject<[DynamicallyAccessedMembers(ConfigTypes.Members)] T>(ConfigNode node, T target, params string[] handled) where T : class
    {
        ConfigTypes.Of<T>();
        BindDeclared(node, target, handled);
    }

    /// <summary>Binds an object node's properties to <paramref name="target"/>, whose class <see cref="ConfigTypes"/> describes.</summary>
    private void BindDeclared(ConfigNode node, object target, params string[] handled)
    {
        if (node.Kind != JsonTokenType.StartObject)
        {
            Problem(node, $"expected an object, found {node.KindName}.");
            return;
        }

        var properties = BindableProperties(target.GetType());
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, line, column, value) in node.Properties)
        {
            if (!seen.Add(name))
            {
                Problems.Add($"{source}:{line}:{column}: {value.Path}: '{name}' is set twice.");
                continue;
            }

            if (handled.Contains(name, StringComparer.OrdinalIgnoreCase) || name == "$schema")
            {
                continue;
            }

            var property = properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                var known = properties.Select(p => CamelCase(p.Name)).Concat(handled).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal);
                Problems.Add($"{source}:{line}:{column}: {value.Path}: unknown property '{name}'; expected one of: {string.Join(", ", known)}.");
                continue;
            }

            BindProperty(value, target, property);
        }
    }

    /// <summary>Binds an object node as <see cref="BindObject"/> does, and says whether that found no problem.</summary>
    public bool TryBindObject<[DynamicallyAccessedMembers(ConfigTypes.Members)] T>(ConfigNode node, T target) where T : class
    {
        var before = Problems.Count;
        BindObject(node, target);
        return Problems.Count == before;
    }

    /// <summary>A string node's text with <c>${NAME}</c> references replaced; null (with a problem) when it is not a string or a variable is unset.</summary>
    public string? ReadString(ConfigNode node)
    {
        if (node.Kind != JsonTokenType.String)
        {
            Problem(node, $"expected a string, found {node.KindName}.");
            return null;
        }

        var missing = new List<string>();
        var text = Reference().Replace(node.Text!, m => environment(m.Groups[1].Value) ?? Missing(m.Groups[1].Value));
        if (missing.Count > 0)
        {
            Problem(node, $"the environment variable{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)} {(missing.Count > 1 ? "are" : "is")} not set.");
            return null;
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            // No path, URL, header or name holds a NUL; the file system and HTTP would each fail on it in their own way.
            Problem(node, $"a NUL character (\\u0000) has no place in a string{(node.Text!.Contains('\0', StringComparison.Ordinal) ? "" : " (it came from an environment variable)")}.");
            return null;
        }

        return text;

        string Missing(string name)
        {
            missing.Add(name);
            return string.Empty;
        }
    }

    /// <summary>How a value is quoted in a message: never the value of an environment variable.</summary>
    public static string Shown(ConfigNode node) =>
        node.Text is { } text && Reference().IsMatch(text) ? "(a value from the environment)" : $"'{node.Text}'";

    /// <summary>The public properties a file may set on a declared class (<see cref="ConfigTypes"/>).</summary>
    public static IReadOnlyList<PropertyInfo> BindableProperties(Type type) => (ConfigTypes.Find(type) ?? throw ConfigTypes.Undeclared(type)).Properties;

    public static string CamelCase(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    private void BindProperty(ConfigNode value, object target, PropertyInfo property)
    {
        var type = property.PropertyType;
        if (property.SetMethod?.IsPublic == true)
        {
            if (TryConvert(value, type, out var converted))
            {
                property.SetValue(target, converted);
            }

            return;
        }

        // A read-only collection or options object: filled in place, keeping the instance (and its comparer) it has.
        var existing = property.GetValue(target)!;
        if (Shape(type) is { } shape)
        {
            FillCollection(value, existing, shape);
        }
        else
        {
            BindDeclared(value, existing);
        }
    }

    private bool TryConvert(ConfigNode node, Type type, out object? value)
    {
        value = null;
        var underlying = Nullable.GetUnderlyingType(type);
        if (node.Kind == JsonTokenType.Null)
        {
            if (underlying is not null || !type.IsValueType)
            {
                return true;
            }

            Problem(node, $"expected {Describe(type)}, found null.");
            return false;
        }

        type = underlying ?? type;
        if (Shape(type) is { } shape)
        {
            if (shape.IsDictionary)
            {
                Problem(node, $"a dictionary can only be filled in place ({Describe(type)}).");
                return false;
            }

            var list = (ConfigTypes.CollectionOf(shape.Item) ?? throw ConfigTypes.Undeclared(shape.Item)).Create(type);
            FillCollection(node, list, shape);
            value = list;
            return true;
        }

        value = ConvertScalar(node, type, out var ok);
        return ok;
    }

    private object? ConvertScalar(ConfigNode node, Type type, out bool ok)
    {
        ok = true;
        if (type == typeof(bool) && node.Kind is JsonTokenType.True or JsonTokenType.False)
        {
            return node.Kind == JsonTokenType.True;
        }

        if (type == typeof(string) || type == typeof(Uri) || type == typeof(TimeSpan) || type == typeof(DateOnly) || type == typeof(DateTime) || type.IsEnum
            || type == typeof(HttpMethod))
        {
            if (ReadString(node) is not { } text)
            {
                ok = false;
                return null;
            }

            return type == typeof(string) ? text : ParseText(node, text, type, out ok);
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(double))
        {
            return ParseNumber(node, type, out ok);
        }

        if (!type.IsValueType && node.Kind == JsonTokenType.StartObject && ConfigTypes.Find(type) is { } declared)
        {
            if (declared.Create() is { } instance)
            {
                BindDeclared(node, instance);
                return instance;
            }
        }
        else if (type.IsClass && type != typeof(string) && node.Kind == JsonTokenType.StartObject)
        {
            Problem(node, ConfigTypes.Undeclared(type).Message);
            ok = false;
            return null;
        }

        Problem(node, $"expected {Describe(type)}, found {node.KindName}.");
        ok = false;
        return null;
    }

    private object? ParseText(ConfigNode node, string text, Type type, out bool ok)
    {
        ok = true;
        if (type == typeof(Uri))
        {
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            {
                return uri;
            }
        }
        else if (type == typeof(TimeSpan))
        {
            if (TryParseDuration(text, out var duration))
            {
                return duration;
            }
        }
        else if (type == typeof(DateOnly))
        {
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }
        }
        else if (type == typeof(DateTime))
        {
            // A wall-clock time without an offset: the option says in which time zone it is read.
            if (DateTime.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd"], CultureInfo.InvariantCulture,
                DateTimeStyles.None, out var time))
            {
                return time;
            }
        }
        else if (type == typeof(HttpMethod))
        {
            if (text.Length > 0 && text.All(char.IsAsciiLetter))
            {
                return new HttpMethod(text.ToUpperInvariant());
            }
        }
        else if (type.IsDefined(typeof(FlagsAttribute), inherit: false))
        {
            // Flags are listed: "Tls12, Tls13".
            var names = text.Split(',', StringSplitOptions.TrimEntries);
            var known = names.Select(part => Enum.GetNames(type).FirstOrDefault(n => string.Equals(n, part, StringComparison.OrdinalIgnoreCase))).ToArray();
            if (known.All(n => n is not null))
            {
                return Enum.ToObject(type, known.Aggregate(0L, (value, n) => value | Convert.ToInt64(Enum.Parse(type, n!), CultureInfo.InvariantCulture)));
            }
        }
        else if (Enum.GetNames(type).FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase)) is { } name)
        {
            return Enum.Parse(type, name);
        }

        Problem(node, $"{Shown(node)} is not {Describe(type)}.");
        ok = false;
        return null;
    }

    private object? ParseNumber(ConfigNode node, Type type, out bool ok)
    {
        ok = true;
        var text = node.Kind == JsonTokenType.String ? ReadString(node) : node.Kind == JsonTokenType.Number ? node.Text : null;
        var percent = type == typeof(double) && node.Kind == JsonTokenType.String && text?.EndsWith('%') == true;
        var number = percent ? text![..^1].TrimEnd() : text;
        if (number is not null && (node.Kind == JsonTokenType.Number || percent))
        {
            const NumberStyles Style = NumberStyles.Float;
            if (type == typeof(double) && double.TryParse(number, Style, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
            {
                return percent ? d / 100 : d;
            }

            if (type == typeof(int) && int.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i))
            {
                return i;
            }

            if (type == typeof(long) && long.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
            {
                return l;
            }
        }

        Problem(node, $"expected {Describe(type)}, found {(node.Kind is JsonTokenType.Number or JsonTokenType.String ? Shown(node) : node.KindName)}.");
        ok = false;
        return null;
    }

    private void FillCollection(ConfigNode node, object collection, CollectionShape shape)
    {
        if (shape.IsDictionary)
        {
            FillDictionary(node, collection, shape.Item);
            return;
        }

        if (node.Kind != JsonTokenType.StartArray)
        {
            Problem(node, $"expected an array of {Describe(shape.Item)}, found {node.KindName}.");
            return;
        }

        var items = ConfigTypes.CollectionOf(shape.Item) ?? throw ConfigTypes.Undeclared(shape.Item);
        items.Clear(collection);
        foreach (var item in node.Items)
        {
            if (TryConvert(item, shape.Item, out var converted))
            {
                items.Add(collection, converted);
            }
        }
    }

    private void FillDictionary(ConfigNode node, object dictionary, Type valueType)
    {
        if (node.Kind != JsonTokenType.StartObject)
        {
            Problem(node, $"expected an object of names to {Describe(valueType)}, found {node.KindName}.");
            return;
        }

        var target = (IDictionary)dictionary;
        target.Clear();
        foreach (var (name, line, column, value) in node.Properties)
        {
            // A key set twice is a problem as a property set twice is (never the later value silently), compared as the
            // dictionary compares its keys: header names without regard to case, JSON paths exactly.
            if (target.Contains(name))
            {
                Problems.Add($"{source}:{line}:{column}: {value.Path}: '{name}' is set twice.");
                continue;
            }

            if (TryConvert(value, valueType, out var converted))
            {
                target[name] = converted;
            }
        }
    }

    /// <summary>
    /// Reads <c>300ms</c>, <c>1.5s</c>, <c>2min</c> (or <c>2m</c>), <c>1h</c>, <c>2d</c> — a number and one of the condition
    /// language's duration units — or a TimeSpan in <c>hh:mm:ss</c> form.
    /// </summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        var match = DurationPattern().Match(text.Trim());
        if (match.Success
            && double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount)
            && MetricUnitFormat.FromSymbol(match.Groups[2].Value is "m" ? "min" : match.Groups[2].Value) is { } unit
            && MetricUnitFormat.DimensionOf(unit) == UnitDimension.Duration)
        {
            var milliseconds = MetricUnitFormat.Convert(amount, unit, MetricUnit.Milliseconds);
            if (milliseconds <= TimeSpan.MaxValue.TotalMilliseconds)
            {
                duration = TimeSpan.FromTicks((long)Math.Round(milliseconds * TimeSpan.TicksPerMillisecond));
                return true;
            }
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration);
    }

    internal static bool IsBindableType(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return !typeof(Delegate).IsAssignableFrom(type) && !typeof(HttpMessageInvoker).IsAssignableFrom(type) && !type.IsInterface
            || Shape(type) is not null;
    }

    internal static bool IsFillable(Type type) => Shape(type) is not null
        || (type.IsClass && type != typeof(string) && type.Namespace == typeof(GateOptions).Namespace);

    /// <summary>
    /// The item type of the collection interfaces options use (IList, ISet, ICollection, List), or the value type of an
    /// IDictionary with string keys; <see langword="null"/> for anything else.
    /// </summary>
    public static CollectionShape? Shape(Type type)
    {
        if (!type.IsGenericType || type == typeof(string))
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        var arguments = type.GetGenericArguments();
        if (definition == typeof(IList<>) || definition == typeof(ISet<>) || definition == typeof(ICollection<>) || definition == typeof(List<>))
        {
            return new CollectionShape(arguments[0], IsDictionary: false);
        }

        return definition == typeof(IDictionary<,>) && arguments[0] == typeof(string) ? new CollectionShape(arguments[1], IsDictionary: true) : null;
    }

    private static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            var names = string.Join(", ", Enum.GetNames(type).Select(CamelCase));
            return type.IsDefined(typeof(FlagsAttribute), inherit: false) ? $"one or more of {names}, separated by commas" : "one of " + names;
        }

        return type switch
        {
            _ when type == typeof(string) => "a string",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(int) || type == typeof(long) => "a whole number",
            _ when type == typeof(double) => "a number (or a percentage such as \"85%\")",
            _ when type == typeof(TimeSpan) => "a duration such as \"300ms\", \"5s\", \"2min\" or \"00:05:00\"",
            _ when type == typeof(Uri) => "an absolute http or https URL",
            _ when type == typeof(DateOnly) => "a date such as \"2027-01-31\" (yyyy-MM-dd)",
            _ when type == typeof(DateTime) => "a date and time without an offset such as \"2027-01-01T00:00:00\"",
            _ when type == typeof(HttpMethod) => "an HTTP method such as GET",
            _ => "an object",
        };
    }

    /// <summary>A collection property's item type (a dictionary's value type) and whether it is a dictionary with string keys.</summary>
    internal readonly record struct CollectionShape(Type Item, bool IsDictionary);

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Reference();

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*(\p{L}+)$")]
    private static partial Regex DurationPattern();
}
