using CsCheck;

namespace ReleaseGates.Tests.Support;

/// <summary>Generators that read the same on CsCheck 5 (net10.0) and CsCheck 4.9 (the net8.0 test run).</summary>
public static class Gens
{
    /// <summary>One of the given values, each equally likely.</summary>
    public static Gen<T> OneOfValues<T>(params T[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);
}
