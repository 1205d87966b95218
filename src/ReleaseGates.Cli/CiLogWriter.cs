using System.Text;

namespace ReleaseGates.Cli;

/// <summary>
/// Standard output or error on a CI runner that reads commands from the log: what the tool prints from evidence (a gate
/// name, a header value, a file's line) can never be taken for a command. On GitHub Actions a line whose first non-blank
/// characters are <c>::</c> is a workflow command (<c>::add-mask::</c>, <c>::stop-commands::</c>); on Azure Pipelines
/// <c>##vso[</c> anywhere in a line is a logging command (<c>task.setvariable</c>) and <c>##[</c> at its start a formatting
/// command. Each is broken with a zero-width space, so the log reads the same. The tool's own commands go through
/// <see cref="WriteCommandAsync"/>, which is the only way past.
/// </summary>
internal sealed class CiLogWriter(TextWriter inner) : TextWriter
{
    /// <summary>The writer wrapped.</summary>
    private TextWriter Inner { get; } = inner;

    /// <summary>What sits between the characters of a command marker to break it.</summary>
    private const char Breaker = '\u200B';

    public override Encoding Encoding => Inner.Encoding;

    /// <summary>Whether the environment is a runner that reads commands from the log.</summary>
    public static bool IsNeeded(Func<string, string?> environment)
        => environment("GITHUB_ACTIONS") == "true" || environment("TF_BUILD") is { Length: > 0 };

    /// <summary><paramref name="output"/> wrapped when the environment needs it, otherwise itself.</summary>
    public static TextWriter For(TextWriter output, Func<string, string?> environment)
        => output is CiLogWriter || !IsNeeded(environment) ? output : new CiLogWriter(output);

    /// <summary>Writes one of the tool's own commands as is: the only way a command reaches the log.</summary>
    public static Task WriteCommandAsync(TextWriter output, string command)
        => output is CiLogWriter ci ? ci.Inner.WriteLineAsync(command) : output.WriteLineAsync(command);

    /// <summary><paramref name="text"/> with every command marker broken.</summary>
    public static string Neutralize(string text)
    {
        if (!text.Contains("::", StringComparison.Ordinal) && !text.Contains("##", StringComparison.Ordinal))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 8);
        var lineStart = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (lineStart && c is ':' or '#' && i + 1 < text.Length && text[i + 1] == c)
            {
                sb.Append(c).Append(Breaker);
                lineStart = false;
                continue;
            }

            if (c == '#' && string.CompareOrdinal(text, i, "##vso[", 0, 6) == 0)
            {
                sb.Append('#').Append(Breaker);
                continue;
            }

            sb.Append(c);
            lineStart = c is '\n' or '\r' || (lineStart && c is ' ' or '\t');
        }

        return sb.ToString();
    }

    public override void Write(char value) => Inner.Write(value);

    public override void Write(string? value) => Inner.Write(value is null ? null : Neutralize(value));

    public override void WriteLine(string? value) => Inner.WriteLine(value is null ? null : Neutralize(value));

    public override Task WriteAsync(string? value) => Inner.WriteAsync(value is null ? null : Neutralize(value));

    public override Task WriteLineAsync(string? value) => Inner.WriteLineAsync(value is null ? null : Neutralize(value));

    public override Task WriteLineAsync() => Inner.WriteLineAsync();

    public override void WriteLine() => Inner.WriteLine();

    public override void Flush() => Inner.Flush();

    public override Task FlushAsync() => Inner.FlushAsync();
}
