using System.Reflection;

namespace ReleaseGates.Tests.FileForm;

/// <summary>
/// The binder reflects only over classes declared to <see cref="ConfigTypes"/> (so that the NativeAOT tool binds the same
/// files): every class and list a file can reach from a built-in gate's options or a kind's own forms is declared.
/// </summary>
public class ConfigTypesTests
{
    /// <summary>The forms the kinds bind themselves, beside the options: sources, smoke requests, migration forms.</summary>
    private static readonly Type[] KindForms = [.. typeof(GateOptions).Assembly.GetTypes()
        .Where(t => t.Name.EndsWith("Configuration", StringComparison.Ordinal) || t.Name.EndsWith("Form", StringComparison.Ordinal))
        .Where(t => t.IsClass && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null && t.Namespace == "ReleaseGates")];

    public static TheoryData<string> Kinds() => [.. BuiltInGateKinds.All.Select(k => k.Type)];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_class_and_list_a_gate_file_reaches_is_declared(string kind)
    {
        var gateKind = BuiltInGateKinds.All.Single(k => k.Type == kind);
        _ = gateKind.Schema(); // describes the options and the kind's forms, as loading the file does
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        Walk(gateKind.OptionsType, missing, [], Handled(gateKind));
        Assert.Empty(missing);
    }

    /// <summary>The properties a kind binds itself (a source, the smoke requests), whose forms the other test walks.</summary>
    private static HashSet<string> Handled(GateKind kind)
    {
        const BindingFlags Own = BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        var property = kind.GetType().GetProperty("Properties", Own) ?? kind.GetType().BaseType!.GetProperty("Properties", Own)!;
        var properties = (System.Collections.IEnumerable)property.GetValue(kind)!;
        return [.. properties.Cast<object>().Select(p => (string)p.GetType().GetProperty("Name")!.GetValue(p)!)];
    }

    [Fact]
    public void Every_form_a_kind_binds_itself_reaches_only_declared_classes()
    {
        foreach (var kind in BuiltInGateKinds.All)
        {
            _ = kind.Schema();
        }

        var missing = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var form in KindForms.Where(f => ConfigTypes.Find(f) is not null))
        {
            Walk(form, missing, [], []);
        }

        Assert.Empty(missing);
        Assert.Contains(typeof(RequestMetricsSourceConfiguration), KindForms);
    }

    [Fact]
    public void Every_class_the_top_level_of_a_file_reaches_is_declared()
    {
        _ = ReleaseGatesConfigurationSchema.Generate();
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        Walk(typeof(ReleaseGatesOptions), missing, []);
        Walk(typeof(HistoryFileForm), missing, []);
        Walk(typeof(Waiver), missing, []);
        Assert.Empty(missing);
    }

    [Fact]
    public void A_nested_options_object_is_bound_from_its_declaration()
    {
        var binder = new ConfigBinder("test.json", _ => null);
        var node = ConfigNode.Parse("""{ "loadProbe": { "targets": ["http://127.0.0.1:5000/"], "requestsPerSecond": 50, "rampUp": "2s" } }"""u8);
        var config = new RequestMetricsSourceConfiguration();
        Assert.True(binder.TryBindObject(node, config), string.Join("\n", binder.Problems));
        Assert.Equal(50, config.LoadProbe!.RequestsPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(2), config.LoadProbe.RampUp);
        Assert.Equal(new Uri("http://127.0.0.1:5000/"), Assert.Single(config.LoadProbe.Targets));
    }

    private static void Walk(Type type, SortedSet<string> missing, HashSet<Type> seen, HashSet<string>? handled = null)
    {
        if (!seen.Add(type))
        {
            return;
        }

        if (ConfigTypes.Find(type) is null)
        {
            missing.Add(type.FullName!);
            return;
        }

        foreach (var property in ConfigBinder.BindableProperties(type)
            .Where(p => handled?.Contains(ConfigBinder.CamelCase(p.Name)) != true && handled?.Contains(p.Name) != true))
        {
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (ConfigBinder.Shape(propertyType) is { } shape)
            {
                if (!shape.IsDictionary && ConfigTypes.CollectionOf(shape.Item) is null)
                {
                    missing.Add($"list of {shape.Item.FullName} ({type.Name}.{property.Name})");
                }

                if (Bound(shape.Item))
                {
                    Walk(shape.Item, missing, seen);
                }
            }
            else if (Bound(propertyType))
            {
                Walk(propertyType, missing, seen);
            }
        }
    }

    /// <summary>A class a file can write as an object: concrete, with a public parameterless constructor, one of the library's.</summary>
    private static bool Bound(Type type) => type.IsClass && !type.IsAbstract && type != typeof(string) && type != typeof(Uri)
        && type.GetConstructor(Type.EmptyTypes) is not null && type.Namespace == typeof(GateOptions).Namespace
        && !typeof(Delegate).IsAssignableFrom(type);
}
