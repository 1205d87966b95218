namespace ReleaseGates;

/// <summary>
/// The <c>releasegates.json</c> a gate is being loaded from, as its <see cref="GateKind{TOptions}"/> sees it: where
/// relative paths start, and where problems go (each placed at the gate's line and column).
/// </summary>
public sealed class GateFileContext
{
    internal GateFileContext(ConfigBinder binder, ConfigNode node, string sourceName, string baseDirectory)
    {
        Binder = binder;
        Node = node;
        SourceName = sourceName;
        BaseDirectory = baseDirectory;
    }

    /// <summary>What messages call the file, such as its path.</summary>
    public string SourceName { get; }

    /// <summary>The folder relative paths in the file start from: the file's own.</summary>
    public string BaseDirectory { get; }

    internal ConfigBinder Binder { get; }

    /// <summary>The gate's object in the file.</summary>
    internal ConfigNode Node { get; }

    /// <summary>A path from the file as a full path, relative to <see cref="BaseDirectory"/>; the folder itself when none is given.</summary>
    /// <param name="path">The path as written in the file, or null.</param>
    /// <returns>The full path.</returns>
    public string ResolvePath(string? path) => Path.GetFullPath(Path.Combine(BaseDirectory, path ?? "."));

    /// <summary>
    /// Reports a problem with the gate, placed at its line and column; the file is then refused with every problem found.
    /// A value that came from an environment variable is written back as its reference in the message.
    /// </summary>
    /// <param name="message">What is wrong and what was expected.</param>
    public void AddProblem(string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        Binder.Problem(Node, message);
    }

    /// <summary>Reports a problem at one node of the gate's object.</summary>
    internal void AddProblem(ConfigNode at, string message) => Binder.Problem(at, message);
}
