using System.Text.Json.Nodes;

namespace ReleaseGates;

/// <summary>
/// A property of a gate's object that its kind binds itself (a request-metrics <c>source</c>, a list of requests,
/// certificate files), with the schema that describes it: the reading and the schema are declared together.
/// </summary>
/// <typeparam name="TOptions">The gate's options.</typeparam>
internal sealed class GateFileProperty<TOptions>(string name, Func<JsonObject> schema, Action<ConfigNode, TOptions, GateFileContext> read)
{
    /// <summary>The property's name in the file.</summary>
    public string Name { get; } = name;

    /// <summary>The property's schema.</summary>
    public JsonObject Schema() => schema();

    /// <summary>Reads the property's node into the options; problems go to the file's problems.</summary>
    public void Read(ConfigNode value, TOptions options, GateFileContext file) => read(value, options, file);
}
