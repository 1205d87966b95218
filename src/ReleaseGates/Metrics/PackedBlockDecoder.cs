using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ReleaseGates.Metrics;

/// <summary>
/// Decodes full blocks of <see cref="LatencyHistogram"/>'s wire format 2 (16 zig-zag differences bit-packed at one
/// width) and adds them to 16-bit counts (into empty cells, that is decoding) with SSE/AVX2: four values per 128-bit
/// vector are gathered with a byte shuffle, aligned with a per-lane shift, un-zig-zagged and prefix-summed in the vector;
/// or with AVX-512, a whole block per vector. A block that needs more care (a count outside 0..65,535, a width above
/// <see cref="MaximumWidth"/>, a cell that would pass 65,535) is left to the scalar reader.
/// </summary>
internal static partial class PackedBlockDecoder
{
    /// <summary>The widest block decoded here: a value's bits then lie within four bytes at any bit offset.</summary>
    public const int MaximumWidth = 24;

    private const int Values = 16;
    private const int Lanes = 4;

    // Per width (0..24) and quarter of the block (0..3): the first byte the quarter's four values use, the shuffle that
    // brings each value's four bytes into its 32-bit lane, and the shift that then aligns the value's first bit.
    private static readonly QuarterLayout[] Layouts = new QuarterLayout[(MaximumWidth + 1) * Lanes];

#pragma warning disable CA1810 // The tables are computed, not literal.
    static PackedBlockDecoder()
#pragma warning restore CA1810
    {
        Span<byte> shuffle = stackalloc byte[16];
        Span<uint> shift = stackalloc uint[Lanes];
        for (var width = 0; width <= MaximumWidth; width++)
        {
            for (var quarter = 0; quarter < Lanes; quarter++)
            {
                var entry = (width * Lanes) + quarter;
                var firstByte = quarter * Lanes * width >> 3;
                for (var lane = 0; lane < Lanes; lane++)
                {
                    var bit = (((quarter * Lanes) + lane) * width) - (firstByte * 8);
                    for (var b = 0; b < 4; b++)
                    {
                        shuffle[(lane * 4) + b] = (byte)((bit >> 3) + b);
                    }

                    shift[lane] = (uint)(bit & 7);
                }

                Layouts[entry] = new QuarterLayout
                {
                    Shuffle = Vector128.Create<byte>(shuffle),
                    Shift = Vector128.Create<uint>(shift),
                    Offset = (nuint)firstByte,
                };
            }
        }

        BuildWideTables();
    }

    /// <summary>Whether this processor runs the vector decoder; the scalar reader decodes every block otherwise.</summary>
    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>The bytes a block of <paramref name="width"/> must have readable from its start (its own and the padding the last load reads).</summary>
    /// <param name="width">The block's width in bits, at most <see cref="MaximumWidth"/>.</param>
    /// <returns>The bytes.</returns>
    public static int ReadableBytes(int width) => (3 * Lanes * width >> 3) + 16;

    /// <summary>
    /// Decodes 16 values of <paramref name="width"/> bits from <paramref name="source"/> as differences from
    /// <paramref name="previous"/>, writes the counts into <paramref name="counts"/>, and adds them to <paramref name="total"/>.
    /// </summary>
    /// <param name="source">The block's packed bytes; at least <see cref="ReadableBytes"/> long.</param>
    /// <param name="width">The block's width, 0 to <see cref="MaximumWidth"/>.</param>
    /// <param name="previous">The count before the block, at most 65,535; on success, the block's last count.</param>
    /// <param name="counts">Sixteen cells.</param>
    /// <param name="total">The running total; on success, plus the block's counts.</param>
    /// <returns>
    /// <see langword="false"/> when a count falls outside 0..65,535: <paramref name="counts"/> then holds nothing
    /// meaningful and <paramref name="previous"/> and <paramref name="total"/> are unchanged.
    /// </returns>
    public static bool TryDecode(ReadOnlySpan<byte> source, int width, ref uint previous, Span<ushort> counts, ref ulong total)
    {
        if (!Avx2.IsSupported || (uint)width > MaximumWidth || source.Length < ReadableBytes(width) || counts.Length < Values)
        {
            return false;
        }

        var carry = Vector128.Create(previous);
        counts[..Values].Clear();
        if (!DecodeAddOne(ref MemoryMarshal.GetReference(source), width, ref carry, ref MemoryMarshal.GetReference(counts), ulong.MaxValue, out var blockTotal))
        {
            return false;
        }

        total += blockTotal;
        previous = carry.ToScalar();
        return true;
    }

    /// <summary>
    /// Decodes consecutive full blocks of <paramref name="data"/> from <paramref name="pos"/> (each a width byte and its
    /// packed values) and adds their counts to the cells of <paramref name="target"/>; stops before the first block it
    /// leaves to the scalar reader: one wider than <see cref="MaximumWidth"/>, too close to the end of the data, with a
    /// count outside 0..65,535, that would take a cell above 65,535 or (the 128-bit way) the total above
    /// <paramref name="limit"/>. A block is added only when it is decoded and checked in full, so the cells hold whole
    /// blocks when this returns.
    /// </summary>
    /// <param name="data">The serialized histogram.</param>
    /// <param name="pos">The first block's width byte; moved past the blocks added.</param>
    /// <param name="target">The cells to add to; only whole blocks of 16 are added.</param>
    /// <param name="previous">The count before the first block, at most 65,535; becomes the last count decoded.</param>
    /// <param name="total">The running total, plus every count added.</param>
    /// <param name="limit">The most the total may reach: the caller checks it once more, as the 512-bit way checks it only at its end.</param>
    /// <returns>The cells added to, a multiple of 16.</returns>
    public static int DecodeAddBlocks(ReadOnlySpan<byte> data, ref int pos, Span<ushort> target, ref uint previous, ref ulong total, ulong limit)
    {
        // What the 512-bit way leaves (a wide block, the last 64 bytes, a cell that would pass 65,535) goes on 128 bits at a time.
        var done = DecodeAddBlocksWide(data, ref pos, target, ref previous, ref total);
        return total > limit ? done : done + DecodeAddBlocksNarrow(data, ref pos, target[done..], ref previous, ref total, limit);
    }

    /// <summary>
    /// The 128-bit part of <see cref="DecodeAddBlocks"/>, which checks the limit before each block: 0 where the processor
    /// has no AVX2. Into empty cells it decodes (what <see cref="LatencyHistogram.FromByteArray"/> reads with).
    /// </summary>
    internal static int DecodeAddBlocksNarrow(ReadOnlySpan<byte> data, ref int pos, Span<ushort> target, ref uint previous, ref ulong total, ulong limit)
    {
        if (!Avx2.IsSupported || previous > ushort.MaxValue)
        {
            return 0;
        }

        ref var bytes = ref MemoryMarshal.GetReference(data);
        ref var cells = ref MemoryMarshal.GetReference(target);
        var carry = Vector128.Create(previous);
        var done = 0;
        var at = pos;
        for (; done + Values <= target.Length && at < data.Length; done += Values)
        {
            uint width = Unsafe.Add(ref bytes, at);
            if (width == 0 && carry.ToScalar() == 0)
            {
                // An empty stretch: nothing to add.
                at++;
                continue;
            }

            if (width > MaximumWidth || at + 1 + ReadableBytes((int)width) > data.Length
                || !DecodeAddOne(ref Unsafe.Add(ref bytes, at + 1), (int)width, ref carry, ref Unsafe.Add(ref cells, done), limit - total, out var blockTotal))
            {
                break;
            }

            total += blockTotal;
            at += 1 + (2 * (int)width);
        }

        pos = at;
        previous = carry.ToScalar();
        return done;
    }

    /// <summary>
    /// One block added to <paramref name="cells"/> when its counts fit a cell, add up to at most <paramref name="room"/>,
    /// and no sum passes 65,535; nothing is written otherwise.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool DecodeAddOne(ref byte bytes, int width, ref Vector128<uint> carry, ref ushort cells, ulong room, out uint blockTotal)
    {
        var mask = Vector128.Create((uint)((1UL << width) - 1));
        var last = carry;
        ref var layout = ref Layouts[width * Lanes];
        var q0 = Quarter(ref bytes, in layout, mask, ref last);
        var q1 = Quarter(ref bytes, in Unsafe.Add(ref layout, 1), mask, ref last);
        var q2 = Quarter(ref bytes, in Unsafe.Add(ref layout, 2), mask, ref last);
        var q3 = Quarter(ref bytes, in Unsafe.Add(ref layout, 3), mask, ref last);
        blockTotal = 0;
        if (((q0 | q1 | q2 | q3) & Vector128.Create(0xFFFF_0000u)) != Vector128<uint>.Zero)
        {
            return false;
        }

        var low = Sse41.PackUnsignedSaturate(q0.AsInt32(), q1.AsInt32());
        var high = Sse41.PackUnsignedSaturate(q2.AsInt32(), q3.AsInt32());
        var before0 = Vector128.LoadUnsafe(ref cells);
        var before1 = Vector128.LoadUnsafe(ref cells, Values / 2);
        var sum0 = before0 + low;
        var sum1 = before1 + high;
        var sum = Vector128.Sum(q0 + q1 + q2 + q3);
        if (sum > room || ((Vector128.LessThan(sum0, before0) | Vector128.LessThan(sum1, before1)) != Vector128<ushort>.Zero))
        {
            return false;
        }

        sum0.StoreUnsafe(ref cells);
        sum1.StoreUnsafe(ref cells, Values / 2);
        blockTotal = sum;
        carry = last;
        return true;
    }

    /// <summary>Four counts: gathered, aligned, masked, un-zig-zagged and prefix-summed onto the carry, which becomes the last.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> Quarter(ref byte bytes, in QuarterLayout layout, Vector128<uint> mask, ref Vector128<uint> carry)
    {
        var loaded = Vector128.LoadUnsafe(ref bytes, layout.Offset);
        var packed = Avx2.ShiftRightLogicalVariable(Ssse3.Shuffle(loaded, layout.Shuffle).AsUInt32(), layout.Shift) & mask;
        var difference = (packed >> 1) ^ (Vector128<uint>.Zero - (packed & Vector128<uint>.One));
        difference += Sse2.ShiftLeftLogical128BitLane(difference, 4);
        difference += Sse2.ShiftLeftLogical128BitLane(difference, 8);
        var counts = difference + carry;
        carry = Sse2.Shuffle(counts, 0xFF);
        return counts;
    }

    /// <summary>Where a quarter of a block's values lie: its first byte, and each value's bytes and bit shift from there.</summary>
    private struct QuarterLayout
    {
        public Vector128<byte> Shuffle;
        public Vector128<uint> Shift;
        public nuint Offset;
    }
}
