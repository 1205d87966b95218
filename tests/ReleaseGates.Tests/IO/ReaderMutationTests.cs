using System.Text;
using ReleaseGates.IO;
using ReleaseGates.Metrics;
using ReleaseGates.Tests.Support;

namespace ReleaseGates.Tests.IO;

/// <summary>
/// Every reader fed truncations and random byte mutations of the real fixtures (fixed seeds, a fixed number of inputs, a
/// deadline per input): the only exception that may escape is the reader's documented format error, naming the file.
/// </summary>
public class ReaderMutationTests
{
    private const int MutationsPerFixture = 150;
    private static readonly TimeSpan PerInputDeadline = TimeSpan.FromSeconds(20);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Fixtures() => new(
        "coverage/sample-coverlet.cobertura.xml", "coverage/sample-coverlet.opencover.xml", "coverage/sample-coverlet.lcov.info",
        "coverage/jacoco-0.8.3.xml", "coverage/java-cobertura-2.1.1-doctype.xml",
        "test-results/dotnet-vstest.trx", "test-results/junit4-complete.xml", "test-results/pytest-junit.xml",
        "latency/k6-summary-export.json", "latency/capture.har", "latency/results.jtl", "migrations/manifest.json");

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Mutated_input_gives_a_format_error_naming_the_file_or_a_result(string fixture)
    {
        var original = await File.ReadAllBytesAsync(Path.Combine(Support.Fixtures.Root, fixture), Ct);
        var random = new Random(fixture.GetHashCode(StringComparison.Ordinal) ^ 20261202);
        using var folder = Support.Fixtures.CreateTempFolder();
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < MutationsPerFixture; i++)
        {
            var (how, bytes) = Mutate(original, random, i);
            var path = Path.Combine(folder.Path, $"m{i}{Path.GetExtension(fixture)}");
            await File.WriteAllBytesAsync(path, bytes, Ct);
            var outcome = await Task.Run(() => ReadAsync(fixture, path, bytes), Ct).WaitAsync(PerInputDeadline, Ct);
            if (outcome is Exception ex)
            {
                Assert.Fail($"{fixture}, mutation {i} ({how}): {ex.GetType().Name} escaped: {ex.Message}");
            }

            var key = (string)outcome!;
            outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
        }

        // The mutations must reach both sides: some inputs still read, some are rejected.
        Assert.True(outcomes.GetValueOrDefault("format error") > 0, $"{fixture}: {string.Join(", ", outcomes)}");
    }

    [Fact]
    public void Arbitrary_bytes_into_a_histogram_give_only_format_errors()
    {
        var random = new Random(7);
        var histogram = new LatencyHistogram();
        foreach (var v in new long[] { 1, 1000, 1_000_000, 5_000_000_000, 7_200_000_000_000 })
        {
            histogram.Record(v);
        }

        var valid = histogram.ToByteArray();
        for (var i = 0; i < 5000; i++)
        {
            var bytes = i % 2 == 0 ? Mutate(valid, random, i).Bytes : RandomBytes(random, valid.Length);
            try
            {
                var read = LatencyHistogram.FromByteArray(bytes);

                // Whatever reads back must be a histogram that answers questions without throwing.
                Assert.True(read.Count >= 0 && read.Min <= read.Max || read.Count == 0);
                _ = read.ValueAtPercentile(99);
                _ = read.Mean;
                _ = read.ToByteArray();
            }
            catch (FormatException)
            {
            }
        }
    }

    private static async Task<object?> ReadAsync(string fixture, string path, byte[] bytes)
    {
        try
        {
            switch (Path.GetDirectoryName(fixture))
            {
                case "coverage":
                    _ = await CoverageReportReader.ReadAsync(path, CoverageFormat.Auto, _ => true, Ct);
                    break;
                case "test-results":
                    await using (var stream = SafeFile.OpenRead(path))
                    {
                        _ = fixture.EndsWith(".trx", StringComparison.Ordinal) ? TrxReader.Read(stream, path).Cases.Count : JUnitReader.Read(stream, path).Cases.Count;
                    }

                    break;
                case "migrations":
                    try
                    {
                        _ = await MigrationManifest.ReadAsync(path, Ct);
                    }
                    catch (InvalidDataException ex) when (ex.Message.Contains(path, StringComparison.Ordinal))
                    {
                        return "format error";
                    }

                    break;
                default:
                    _ = Path.GetExtension(fixture) switch
                    {
                        ".json" => K6SummaryReader.Read(bytes, path, "http_req_duration"),
                        ".har" => HarReader.Read(bytes, path, _ => true),
                        _ => JMeterJtlReader.Read(path, ',', null),
                    };
                    break;
            }

            return "read";
        }
        catch (ReportFormatException ex) when (ex.Message.Contains(path, StringComparison.Ordinal))
        {
            return "format error";
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    /// <summary>A truncation, byte flips, an inserted hostile token, a deleted span, or a foreign byte order mark.</summary>
    internal static (string How, byte[] Bytes) Mutate(byte[] original, Random random, int i)
    {
        var bytes = original.ToList();
        switch (i % 6)
        {
            case 0:
                var cut = random.Next(bytes.Count + 1);
                return ($"truncated at {cut}", [.. bytes.Take(cut)]);
            case 1:
                var flips = 1 + random.Next(8);
                for (var k = 0; k < flips && bytes.Count > 0; k++)
                {
                    bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                }

                return ($"{flips} bytes flipped", [.. bytes]);
            case 2:
                string[] tokens = ["\"", "<", "&#0;", "\0", "-1", "2147483647", "1e400", "99999999999999999999", "el=\"2147483647\"", "]]>", "{", "null", "\u001b[31m", "\uFFFF"];
                var token = tokens[random.Next(tokens.Length)];
                var at = random.Next(bytes.Count + 1);
                bytes.InsertRange(at, Encoding.UTF8.GetBytes(token));
                return ($"'{token}' inserted at {at}", [.. bytes]);
            case 3:
                var from = random.Next(bytes.Count + 1);
                var length = Math.Min(bytes.Count - from, 1 + random.Next(64));
                bytes.RemoveRange(from, length);
                return ($"{length} bytes removed at {from}", [.. bytes]);
            case 4:
                byte[][] boms = [[0xFF, 0xFE, 0, 0], [0, 0, 0xFE, 0xFF], [0xFE, 0xFF], [0xFF, 0xFE], [0xEF, 0xBB, 0xBF]];
                var bom = boms[random.Next(boms.Length)];
                return ($"byte order mark {Convert.ToHexString(bom)}", [.. bom, .. bytes]);
            default:
                // Invalid UTF-8 in the middle of the text.
                var where = random.Next(bytes.Count + 1);
                bytes.InsertRange(where, new byte[] { 0xC3, 0x28, 0xF0, 0x28, 0x8C, 0xBC });
                return ($"invalid UTF-8 at {where}", [.. bytes]);
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[random.Next(length * 2)];
        random.NextBytes(bytes);
        if (bytes.Length >= 4 && random.Next(2) == 0)
        {
            "RGH"u8.CopyTo(bytes);
            bytes[3] = 1;
        }

        return bytes;
    }
}
