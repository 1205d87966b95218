namespace ReleaseGates.IO;

/// <summary>Reading a response body with a cap, for the probes and sources that read what other servers send.</summary>
internal static class HttpBody
{
    /// <summary>
    /// The body, at most <paramref name="cap"/> bytes, and whether there was more. A body whose length is known and within
    /// the cap is read into one array of that size; any other is read in chunks and stops one byte past the cap.
    /// </summary>
    public static async Task<(byte[] Body, bool Truncated)> ReadCappedAsync(HttpContent content, long cap, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength is { } length && length <= cap)
        {
            return (await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false), false);
        }

        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            // A pooled chunk: a thousand instances answering at once must not each cost an 80 KB buffer.
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent((int)Math.Min(cap + 1, 16_384));
            try
            {
                using var memory = new MemoryStream();
                int read;
                while (memory.Length <= cap && (read = await stream.ReadAsync(buffer.AsMemory(0,
                    (int)Math.Min(buffer.Length, cap + 1 - memory.Length)), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    memory.Write(buffer, 0, read);
                }

                var truncated = memory.Length > cap;
                var bytes = memory.ToArray();
                return (truncated ? bytes[..(int)cap] : bytes, truncated);
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
