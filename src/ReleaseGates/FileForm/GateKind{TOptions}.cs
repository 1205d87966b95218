using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace ReleaseGates;

/// <summary>
/// The file form of a gate whose options are <typeparamref name="TOptions"/>: a gate's object in
/// <c>releasegates.json</c> is bound to a new <typeparamref name="TOptions"/> by its public properties (names in camelCase,
/// unknown properties refused, every problem at <c>file:line:column</c>, <c>${NAME}</c> read from the environment and never
/// repeated in a message), completed by <see cref="Complete"/>, then registered by <see cref="Register"/>, whose
/// validation problems are placed at the gate's position too.
/// </summary>
/// <typeparam name="TOptions">The gate's options.</typeparam>
public abstract class GateKind<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>
    : GateKind
    where TOptions : GateOptions, new()
{
    private const string TypeProperty = "type";

    /// <summary>Creates the kind of the gates a file names with <paramref name="type"/>.</summary>
    /// <param name="type">The <c>type</c> in the file: a letter, then letters, digits, <c>-</c> or <c>_</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="type"/> is not such a name.</exception>
#pragma warning disable RS0022 // GateKind's constructor is private protected: every kind derives from this class, which exposes no protected member of it.
    protected GateKind(string type)
#pragma warning restore RS0022
        : base(type)
    {
    }

    /// <inheritdoc />
    public sealed override Type OptionsType => typeof(TOptions);

    /// <summary>
    /// Declares a class that the options hold (a nested options object, the items of a list), so that the file binds it
    /// and the schema describes it without reflection over a type the trimmer does not know: call it in the kind's
    /// constructor for each such class. <typeparamref name="TOptions"/> itself needs no declaring.
    /// </summary>
    /// <typeparam name="T">The class, with a public parameterless constructor.</typeparam>
    protected static void AddOptionsType<[DynamicallyAccessedMembers(ConfigTypes.Members)] T>() where T : class => ConfigTypes.Item<T>();

    /// <summary>The properties bound by the kind itself rather than by name to the options (a source, a list of requests).</summary>
    internal virtual IReadOnlyList<GateFileProperty<TOptions>> Properties
    {
        get => [];
    }

    /// <summary>
    /// Registers a gate with the options bound from the file, through the gate's instance overload
    /// (<c>builder.AddQueueDepth(name, options)</c>); a <see cref="ReleaseGatesConfigurationException"/> it throws becomes
    /// the file's problems at the gate's position.
    /// </summary>
    /// <param name="builder">The builder the file is applied to (gates are added to it only when the whole file is valid).</param>
    /// <param name="name">The gate's name: its key in <c>gates</c>.</param>
    /// <param name="options">The options bound from the file.</param>
    protected abstract void Register(IReleaseGatesBuilder builder, string name, TOptions options);

    /// <summary>
    /// Completes options bound without problems before they are registered: resolves paths relative to the file
    /// (<see cref="GateFileContext.ResolvePath"/>) or reports a problem (<see cref="GateFileContext.AddProblem(string)"/>). Does nothing by default.
    /// </summary>
    /// <param name="options">The options bound from the file.</param>
    /// <param name="file">The file being loaded.</param>
    protected virtual void Complete(TOptions options, GateFileContext file)
    {
    }

    /// <inheritdoc />
    internal sealed override void Load(GateFileContext file, IReleaseGatesBuilder staging, string name)
    {
        var options = new TOptions();
        var binder = file.Binder;
        var node = file.Node;
        var properties = Properties;
        var before = binder.Problems.Count;
        binder.BindObject(node, options, [TypeProperty, .. properties.Select(p => p.Name)]);
        foreach (var property in properties)
        {
            if (node.Property(property.Name) is { } value)
            {
                property.Read(value, options, file);
            }
        }

        if (binder.Problems.Count > before)
        {
            return;
        }

        Complete(options, file);
        if (binder.Problems.Count > before)
        {
            return;
        }

        try
        {
            Register(staging, name, options);
        }
        catch (ReleaseGatesConfigurationException e)
        {
            // The registration's checks, the same a gate added in C# gets, placed at the gate's node.
            foreach (var problem in e.Problems)
            {
                binder.Problem(node, problem);
            }
        }
        catch (ArgumentException e)
        {
            binder.Problem(node, e.Message);
        }
    }

    /// <inheritdoc />
    internal sealed override JsonObject Schema()
    {
        var schema = ConfigSchema.ObjectSchemaOf<TOptions>();
        var properties = (JsonObject)schema["properties"]!;
        properties[TypeProperty] = new JsonObject { ["const"] = Type };
        foreach (var property in Properties)
        {
            properties[property.Name] = property.Schema();
        }

        schema["required"] = new JsonArray(TypeProperty);
        return schema;
    }
}
