using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ReleaseGates;

/// <summary>
/// A gate's file form: the <c>type</c> that names it in <c>releasegates.json</c>, the options a gate of that type is
/// bound to, and how the bound options are registered. Every built-in gate has one in its folder; a gate package
/// derives from <see cref="GateKind{TOptions}"/> and passes an instance to
/// <c>AddFromJsonFile(path, kinds)</c>
/// (or names its assembly in <c>gatePackages</c> for the <c>release-gates</c> tool). See <c>docs/custom-gates.md</c>.
/// </summary>
public abstract partial class GateKind
{
    private protected GateKind(string type)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        if (!TypePattern().IsMatch(type))
        {
            throw new ArgumentException($"A gate type is a name such as 'queueDepth' (a letter, then letters, digits, '-' or '_'), but was '{type}'.",
                nameof(type));
        }

        Type = type;
    }

    /// <summary>The <c>type</c> of a gate of this kind in <c>releasegates.json</c>, such as <c>latency</c>; compared without regard to case.</summary>
    public string Type { get; }

    /// <summary>The options a gate of this kind is bound to.</summary>
    public abstract Type OptionsType { get; }

    /// <summary>The kind's type.</summary>
    /// <returns>The <see cref="Type"/>.</returns>
    public override string ToString() => Type;

    /// <summary>
    /// Binds the gate's node into a new options object, once, and registers it on <paramref name="staging"/>; every
    /// problem, the registration's own validation included, goes to the file's problems at the gate's position.
    /// </summary>
    internal abstract void Load(GateFileContext file, IReleaseGatesBuilder staging, string name);

    /// <summary>The JSON Schema of a gate of this kind, its <c>type</c> included.</summary>
    internal abstract JsonObject Schema();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]*$")]
    private static partial Regex TypePattern();
}
