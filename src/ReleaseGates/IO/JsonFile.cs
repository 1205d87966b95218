using System.Text.Json;

namespace ReleaseGates.IO;

/// <summary>Parses a JSON report file already read into memory; every problem is a <see cref="ReportFormatException"/> naming the file and line.</summary>
internal static class JsonFile
{
    public static JsonDocument Parse(ReadOnlyMemory<byte> bytes, string file)
    {
        // A UTF-8 byte order mark is allowed (editors on Windows write one); a UTF-16 or UTF-32 one is named as such.
        var span = bytes.Span;
        if (span.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }
        else if (span.StartsWith(new byte[] { 0xFF, 0xFE }) || span.StartsWith(new byte[] { 0xFE, 0xFF }) || span.StartsWith(new byte[] { 0, 0, 0xFE, 0xFF }))
        {
            throw new ReportFormatException(file, 1, "is encoded as UTF-16 or UTF-32; JSON reports are read as UTF-8");
        }

        // Checked up front: the parser validates structure, but strings and property names only when they are read.
        if (!System.Text.Unicode.Utf8.IsValid(bytes.Span))
        {
            var at = FirstInvalidUtf8(bytes.Span);
            throw new ReportFormatException(file, LineOf(bytes.Span, at), $"is not valid UTF-8 (at byte {at})");
        }

        try
        {
            return JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            throw new ReportFormatException(file, (int)(ex.LineNumber + 1 ?? 0), "malformed JSON: " + ex.Message, ex);
        }
        catch (ArgumentException ex)
        {
            // Invalid UTF-8 surfaces here on some paths of the reader.
            throw new ReportFormatException(file, 0, "is not valid UTF-8 JSON: " + ex.Message, ex);
        }
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return offset;
    }

    private static int LineOf(ReadOnlySpan<byte> bytes, int offset) => bytes[..Math.Min(offset, bytes.Length)].Count((byte)'\n') + 1;

    /// <summary>The string value of <paramref name="element"/>, or a format error naming <paramref name="path"/> when it is not a string.</summary>
    public static string String(JsonElement element, string path, string file)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            throw new ReportFormatException(file, 0, $"{path} is {element.ValueKind}, expected a string");
        }

        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            throw new ReportFormatException(file, 0, $"{path} is not valid UTF-8 text", ex);
        }
    }
}
