using System.Globalization;
using System.Numerics;

namespace ReleaseGates;

/// <summary>
/// A Flyway-style version (<c>1.0.2</c>, <c>2020061902</c>, <c>1_1</c>): numeric parts compared in order, trailing zero
/// parts ignored (<c>1.0</c> equals <c>1</c>).
/// </summary>
internal sealed class MigrationVersion : IComparable<MigrationVersion>, IEquatable<MigrationVersion>
{
    private readonly BigInteger[] parts;

    private MigrationVersion(BigInteger[] parts, string text)
    {
        this.parts = parts;
        Text = text;
    }

    /// <summary>The version as Flyway writes it into its history (<c>_</c> shown as <c>.</c>).</summary>
    public string Text { get; }

    /// <summary>The parts, when the version is a single whole number (for gap detection).</summary>
    public BigInteger? SingleNumber => parts.Length == 1 ? parts[0] : null;

    /// <summary>The version, or <see langword="null"/> when <paramref name="text"/> is not one.</summary>
    public static MigrationVersion? ParseOrNull(string? text) => TryParse(text, out var version) ? version : null;

    public static bool TryParse(string? text, out MigrationVersion? version)
    {
        version = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var pieces = text.Trim().Split('.', '_');
        var parsed = new BigInteger[pieces.Length];
        for (var i = 0; i < pieces.Length; i++)
        {
            if (pieces[i].Length == 0 || !pieces[i].All(char.IsAsciiDigit) || !BigInteger.TryParse(pieces[i], NumberStyles.None,
                CultureInfo.InvariantCulture, out parsed[i]))
            {
                return false;
            }
        }

        var length = parsed.Length;
        while (length > 1 && parsed[length - 1].IsZero)
        {
            length--;
        }

        version = new MigrationVersion(parsed[..length], string.Join('.', pieces));
        return true;
    }

    public int CompareTo(MigrationVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        for (var i = 0; i < Math.Max(parts.Length, other.parts.Length); i++)
        {
            var a = i < parts.Length ? parts[i] : BigInteger.Zero;
            var b = i < other.parts.Length ? other.parts[i] : BigInteger.Zero;
            var c = a.CompareTo(b);
            if (c != 0)
            {
                return c;
            }
        }

        return 0;
    }

    public bool Equals(MigrationVersion? other) => other is not null && CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is MigrationVersion v && Equals(v);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var p in parts)
        {
            hash.Add(p);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => Text;
}
