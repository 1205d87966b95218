using System.Runtime.InteropServices;

namespace ReleaseGates.IO;

/// <summary>
/// Opens report files the way a release gate must: only regular files (a named pipe with no writer, <c>/dev/zero</c>, a
/// folder or a device would hang or exhaust memory), asynchronously, and with a size cap where a whole document is read.
/// Every failure is a <see cref="ReportFormatException"/> that names the file.
/// </summary>
internal static partial class SafeFile
{
    private const int BufferSize = 64 * 1024;

    /// <summary>Opens a regular file for asynchronous, sequential reading.</summary>
    public static FileStream OpenRead(string path)
    {
        EnsureRegularFile(path);
        try
        {
            return new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read,
                BufferSize = BufferSize,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ReportFormatException(path, 0, "cannot be opened: " + ex.Message, ex);
        }
    }

    /// <summary>Reads a whole regular file of at most <paramref name="maxBytes"/> bytes (checked before and while reading: a file may grow).</summary>
    public static async Task<byte[]> ReadAllBytesAsync(string path, long maxBytes, CancellationToken cancellationToken)
    {
        await using var stream = OpenRead(path);
        var buffer = Start(stream, path, maxBytes);
        var chunk = new byte[BufferSize];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            Append(buffer, chunk, read, path, maxBytes);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Reads a whole regular file of at most <paramref name="maxBytes"/> bytes, synchronously (a configuration file read
    /// while gates are registered); the same guards as <see cref="ReadAllBytesAsync"/>, and a read error names the file.
    /// </summary>
    public static byte[] ReadAllBytes(string path, long maxBytes)
    {
        using var stream = OpenRead(path);
        var buffer = Start(stream, path, maxBytes);
        var chunk = new byte[BufferSize];
        try
        {
            int read;
            while ((read = stream.Read(chunk)) > 0)
            {
                Append(buffer, chunk, read, path, maxBytes);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ReportFormatException(path, 0, "cannot be read: " + ex.Message, ex);
        }

        return buffer.ToArray();
    }

    /// <summary>The buffer for a whole file, after checking its announced size against the cap.</summary>
    private static MemoryStream Start(FileStream stream, string path, long maxBytes)
    {
        var length = stream.Length;
        return length <= maxBytes ? new MemoryStream((int)Math.Max(0, length)) : throw TooLarge(path, length, maxBytes);
    }

    /// <summary>Appends a chunk read, unless it takes the file past the cap (a file may grow while it is read).</summary>
    private static void Append(MemoryStream buffer, byte[] chunk, int read, string path, long maxBytes)
    {
        if (buffer.Length + read > maxBytes)
        {
            throw TooLarge(path, buffer.Length + read, maxBytes);
        }

        buffer.Write(chunk, 0, read);
    }

    /// <summary>Throws unless <paramref name="path"/> names an existing regular file (symbolic links are followed).</summary>
    public static void EnsureRegularFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            throw new ReportFormatException(path, 0, "is a folder, not a file");
        }

        if (!File.Exists(path))
        {
            throw new ReportFormatException(path, 0, "does not exist");
        }

        var kind = Kind(path);
        if (kind is not null)
        {
            throw new ReportFormatException(path, 0, $"is {kind}, not a regular file: only regular files are read (a pipe or device could block or never end)");
        }
    }

    /// <summary>What a non-regular file is (for the message), or <see langword="null"/> for a regular file or when the platform cannot tell.</summary>
    private static string? Kind(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            var full = Path.GetFullPath(path);
            return full.StartsWith(@"\\.\", StringComparison.Ordinal) || full.StartsWith(@"\\?\GLOBALROOT",
                StringComparison.OrdinalIgnoreCase) ? "a device" : null;
        }

        if (!OperatingSystem.IsLinux())
        {
            // Elsewhere the folder check above applies, and the evaluator's deadline bounds a read that blocks.
            return null;
        }

        try
        {
            if (Statx(AtFdCwd, path, 0, StatxType, out var status) != 0)
            {
                return null;
            }

            return (status.Mode & 0xF000) switch
            {
                0x8000 => null,
                0x1000 => "a named pipe (FIFO)",
                0x2000 => "a character device",
                0x6000 => "a block device",
                0xC000 => "a socket",
                0x4000 => "a folder",
                _ => "not a regular file",
            };
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            // A C library without statx (glibc before 2.28): the folder check and the evaluator's deadline remain.
            return null;
        }
    }

    private static ReportFormatException TooLarge(string path, long size, long maxBytes)
        => new(path, 0, $"is {size:N0} bytes, larger than the {maxBytes:N0} bytes this reader loads as one document");

    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;

    /// <summary>The head of Linux's <c>struct statx</c> (the same layout on every architecture), padded to its full 256 bytes.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    private struct StatxHead
    {
        public uint Mask;
        public uint BlockSize;
        public ulong Attributes;
        public uint Links;
        public uint Uid;
        public uint Gid;
        public ushort Mode;
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, out StatxHead buffer);
}
