using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ReleaseGates;

/// <summary>
/// A JSON value of a configuration file with the line and column it starts at, so that every problem can point at its
/// place. Read with <see cref="Utf8JsonReader"/> (comments and trailing commas allowed, as editors write them).
/// </summary>
internal sealed class ConfigNode
{
    private ConfigNode(JsonTokenType kind, string path, int line, int column)
    {
        Kind = kind;
        Path = path;
        Line = line;
        Column = column;
    }

    /// <summary>The token the value starts with: StartObject, StartArray, String, Number, True, False or Null.</summary>
    public JsonTokenType Kind { get; }

    /// <summary>Where the value is, as a JSON path (<c>gates.coverage.files[0]</c>).</summary>
    public string Path { get; }

    /// <summary>The 1-based line the value starts on.</summary>
    public int Line { get; }

    /// <summary>The 1-based column the value starts at.</summary>
    public int Column { get; }

    /// <summary>A string's text, or a number's text as written.</summary>
    public string? Text { get; private set; }

    /// <summary>An object's properties in file order, with the position of each name.</summary>
    public List<(string Name, int Line, int Column, ConfigNode Value)> Properties { get; } = [];

    /// <summary>An array's items.</summary>
    public List<ConfigNode> Items { get; } = [];

    /// <summary>The value of an object's property, its name compared without regard to case; null when absent.</summary>
    public ConfigNode? Property(string name) =>
        Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>A readable name of the value's kind, for messages.</summary>
    public string KindName => Kind switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        _ => "null",
    };

    /// <summary>Reads a whole document.</summary>
    /// <exception cref="JsonException">The text is not JSON; the message names the line and column.</exception>
    public static ConfigNode Parse(ReadOnlySpan<byte> utf8)
    {
        var lines = LineStarts(utf8);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!reader.Read())
        {
            throw new JsonException("The file is empty: expected a JSON object.");
        }

        var root = ReadValue(ref reader, "$", lines);
        if (reader.Read())
        {
            var (line, column) = Position(lines, reader.TokenStartIndex);
            throw new JsonException($"line {line}, column {column}: unexpected text after the end of the document.");
        }

        return root;
    }

    private static ConfigNode ReadValue(ref Utf8JsonReader reader, string path, List<long> lines)
    {
        var (line, column) = Position(lines, reader.TokenStartIndex);
        var node = new ConfigNode(reader.TokenType, path, line, column);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var (nameLine, nameColumn) = Position(lines, reader.TokenStartIndex);
                    var name = ReadText(ref reader, nameLine, nameColumn, path);
                    reader.Read();
                    node.Properties.Add((name, nameLine, nameColumn, ReadValue(ref reader, path == "$" ? name : path + "." + name, lines)));
                }

                break;
            case JsonTokenType.StartArray:
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    node.Items.Add(ReadValue(ref reader, path + "[" + node.Items.Count.ToString(CultureInfo.InvariantCulture) + "]", lines));
                }

                break;
            case JsonTokenType.String:
                node.Text = ReadText(ref reader, line, column, path);
                break;
            case JsonTokenType.Number:
                node.Text = Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
                break;
        }

        return node;
    }

    /// <summary>
    /// A string token's text. Text that is not valid UTF-8, or an escape of half a surrogate pair (<c>"\ud800"</c>), is
    /// a <see cref="JsonException"/> at the string's line and column, never the reader's own exception.
    /// </summary>
    private static string ReadText(ref Utf8JsonReader reader, int line, int column, string path)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            var what = ex.Message.Contains("surrogate", StringComparison.OrdinalIgnoreCase)
                ? "a \\u escape of half a surrogate pair (an unpaired \\uD800-\\uDFFF), which is no character"
                : "bytes that are not UTF-8: save the file as UTF-8";
            throw new JsonException($"The string at {path} holds {what}.", path, line - 1, column - 1, ex);
        }
    }

    private static List<long> LineStarts(ReadOnlySpan<byte> utf8)
    {
        var starts = new List<long> { 0 };
        for (var i = utf8.IndexOf((byte)'\n'); i >= 0; i = utf8[(int)starts[^1]..].IndexOf((byte)'\n'))
        {
            starts.Add(starts[^1] + i + 1);
        }

        return starts;
    }

    private static (int Line, int Column) Position(List<long> lines, long offset)
    {
        var index = lines.BinarySearch(offset);
        var line = index >= 0 ? index : ~index - 1;
        return (line + 1, (int)(offset - lines[line]) + 1);
    }
}
