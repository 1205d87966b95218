using System.Text;

namespace ReleaseGates;

/// <summary>
/// Flyway's checksum of a SQL migration: CRC32 (IEEE) over the UTF-8 bytes of each line without its terminator
/// (lines end at <c>\n</c>, <c>\r</c> or <c>\r\n</c>; a byte-order mark is dropped), as a signed 32-bit integer.
/// Line endings and blank lines do not change it; whitespace inside a line does.
/// </summary>
internal static class FlywayChecksum
{
    private static readonly uint[] Table = BuildTable();

    public static int Compute(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var span = text.AsSpan();
        if (span.Length > 0 && span[0] == '\uFEFF')
        {
            span = span[1..];
        }

        var crc = 0xFFFFFFFFu;
        byte[] buffer = [];
        while (true)
        {
            var end = span.IndexOfAny('\r', '\n');
            var line = end < 0 ? span : span[..end];
            var needed = Encoding.UTF8.GetMaxByteCount(line.Length);
            if (buffer.Length < needed)
            {
                buffer = new byte[Math.Max(needed, 256)];
            }

            var count = Encoding.UTF8.GetBytes(line, buffer);
            foreach (var b in buffer.AsSpan(0, count))
            {
                crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
            }

            if (end < 0)
            {
                break;
            }

            var skip = span[end] == '\r' && end + 1 < span.Length && span[end + 1] == '\n' ? 2 : 1;
            span = span[(end + skip)..];
        }

        return unchecked((int)~crc);
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
