using System.Globalization;
using System.Text.Json;

namespace ReleaseGates;

/// <summary>
/// One number in a JSON file, found by a JSON Pointer (RFC 6901): a tool's summary, a benchmark's exported ratios. Read
/// at each evaluation; a regular file of at most 16 MiB only.
/// </summary>
internal sealed class JsonFileMetricSource(string path, string pointer) : MetricSource
{
    /// <summary>The largest file read: 16 MiB.</summary>
    private const long MaximumBytes = 16L * 1024 * 1024;

    public override string Description => $"{pointer} in {path}";

    internal override void Validate(ICollection<string> problems)
    {
        if (pointer.Length > 0 && pointer[0] != '/')
        {
            problems.Add($"The JSON pointer '{pointer}' must be empty or start with '/' (RFC 6901), such as '/metrics/http_req_duration/p(95)'.");
        }
    }

    public override async ValueTask<MetricReading> ReadAsync(GateContext context, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await IO.SafeFile.ReadAllBytesAsync(path, MaximumBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (IO.ReportFormatException e)
        {
            throw new InvalidDataException($"{path}: {e.Problem}.", e);
        }

        using var document = ParseOrThrow(bytes);
        var element = document.RootElement;
        var at = "";
        foreach (var token in pointer.Length == 0 ? [] : pointer[1..].Split('/'))
        {
            var name = token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            at += "/" + token;
            element = element.ValueKind switch
            {
                JsonValueKind.Object when element.TryGetProperty(name, out var child) => child,
                JsonValueKind.Array when int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < element.GetArrayLength()
                    => element[index],
                _ => throw new InvalidDataException($"{path} has nothing at {at} (the pointer is {pointer}; found {element.ValueKind} at the level above)."),
            };
        }

        return element.ValueKind switch
        {
            JsonValueKind.Number when element.TryGetDouble(out var value) && double.IsFinite(value) => MetricReading.Of(value, Description),
            JsonValueKind.Null => MetricReading.NoData($"{path} has null at {pointer}"),
            _ => throw new InvalidDataException($"{path} has {element.ValueKind} at {pointer}, not a finite number."),
        };

        JsonDocument ParseOrThrow(byte[] utf8)
        {
            try
            {
                return JsonDocument.Parse(utf8);
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path} is not JSON: line {(e.LineNumber ?? 0) + 1}: {e.Message}", e);
            }
        }
    }
}
