using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace ReleaseGates;

/// <summary>
/// The classes <c>releasegates.json</c> binds, each described once from a type parameter that keeps its public properties
/// and constructor through trimming, so the binder and the schema never reflect over a type the trimmer does not know
/// (the <c>release-gates</c> tool is published with NativeAOT). A gate's options and a kind's own forms register
/// themselves when first bound, and the classes options hold (a probe, a connection, a rule in a list) are declared by the
/// gate's kind or the source form that binds them (<see cref="GateKind{TOptions}.AddOptionsType{T}"/>), which also makes
/// a list of them fillable without building a generic type at run time.
/// </summary>
internal static class ConfigTypes
{
    /// <summary>What the trimmer keeps of a class bound from a file: its public properties and parameterless constructor.</summary>
    public const DynamicallyAccessedMemberTypes Members =
        DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicParameterlessConstructor;

    private static readonly ConcurrentDictionary<Type, ConfigObjectType> Objects = new();
    private static readonly ConcurrentDictionary<Type, ConfigCollection> Collections = new();

#pragma warning disable CA1810 // the registrations are calls, not field values
    static ConfigTypes()
#pragma warning restore CA1810
    {
        foreach (var item in new ConfigCollection[]
        {
            new ConfigCollection<string>(), new ConfigCollection<int>(), new ConfigCollection<long>(), new ConfigCollection<double>(),
            new ConfigCollection<Uri>(), new ConfigCollection<TimeSpan>(),
        })
        {
            Collections[item.Item] = item;
        }
    }

    /// <summary>The description of <typeparamref name="T"/>, made on first use.</summary>
    public static ConfigObjectType Of<[DynamicallyAccessedMembers(Members)] T>() where T : class =>
        Objects.GetOrAdd(typeof(T), static _ => ConfigObjectType.Create<T>());

    /// <summary>Describes <typeparamref name="T"/> and a list of it.</summary>
    public static void Item<[DynamicallyAccessedMembers(Members)] T>() where T : class
    {
        Of<T>();
        Collections.TryAdd(typeof(T), new ConfigCollection<T>());
    }

    /// <summary>Makes a list of <typeparamref name="T"/> (an enum, a struct) fillable from a file.</summary>
    public static void List<T>() => Collections.TryAdd(typeof(T), new ConfigCollection<T>());

    /// <summary>The description of a class bound from a file, or <see langword="null"/> when it was never declared.</summary>
    public static ConfigObjectType? Find(Type type) => Objects.TryGetValue(type, out var described) ? described : null;

    /// <summary>How to fill and create a list or set of <paramref name="item"/>, or <see langword="null"/> when it was never declared.</summary>
    public static ConfigCollection? CollectionOf(Type item)
    {
        return Collections.TryGetValue(item, out var collection) ? collection : null;
    }

    /// <summary>The message of a class or list that nobody declared: a defect in the library or a gate package, never the file's.</summary>
    public static InvalidOperationException Undeclared(Type type) => new(
        $"{type.FullName} is bound from releasegates.json but was never declared: a gate package declares the classes its options hold "
        + "with GateKind<TOptions>.AddOptionsType<T>() in its kind's constructor.");
}

/// <summary>A class bound from a file: the public properties a file may set, and how to create one.</summary>
internal sealed class ConfigObjectType
{
    private readonly Func<object>? _create;

    private ConfigObjectType(Type type, IReadOnlyList<PropertyInfo> properties, Func<object>? create)
    {
        Type = type;
        Properties = properties;
        _create = create;
    }

    public Type Type { get; }

    /// <summary>The public properties a file may set: settable ones, and read-only collections and option objects to fill.</summary>
    public IReadOnlyList<PropertyInfo> Properties { get; }

    /// <summary>A new instance, or <see langword="null"/> when the class has no public parameterless constructor.</summary>
    public object? Create() => _create?.Invoke();

    public static ConfigObjectType Create<[DynamicallyAccessedMembers(ConfigTypes.Members)] T>() where T : class
    {
        var type = typeof(T);
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && ConfigBinder.IsBindableType(p.PropertyType)
                && (p.SetMethod?.IsPublic == true || ConfigBinder.IsFillable(p.PropertyType)))
            .ToArray();
        var constructor = type.GetConstructor(Type.EmptyTypes);
        return new ConfigObjectType(type, properties, constructor is null ? null : () => constructor.Invoke(null));
    }
}

/// <summary>A list or set of one item type, filled and created without building a generic type at run time.</summary>
internal abstract class ConfigCollection
{
    public abstract Type Item { get; }

    /// <summary>A new, empty collection for a settable property of <paramref name="propertyType"/> (a set or a list).</summary>
    public abstract object Create(Type propertyType);

    public abstract void Clear(object collection);

    public abstract void Add(object collection, object? item);
}

internal sealed class ConfigCollection<T> : ConfigCollection
{
    public override Type Item => typeof(T);

    public override object Create(Type propertyType) =>
        propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(ISet<>) ? new HashSet<T>() : new List<T>();

    public override void Clear(object collection) => ((ICollection<T>)collection).Clear();

    public override void Add(object collection, object? item) => ((ICollection<T>)collection).Add((T)item!);
}
