using System.Runtime.InteropServices;

namespace ReleaseGates;

/// <summary>
/// What a history path names when it is not a regular file: SQLite would otherwise open a device (and create its journal
/// beside it, in <c>/dev</c>) or block on a named pipe.
/// </summary>
internal static partial class FileKind
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;

    /// <summary>Why <paramref name="path"/> cannot hold a history, or <see langword="null"/> for a regular file, a path that does not exist yet, or a platform that cannot tell.</summary>
    public static string? Problem(string path)
    {
        if (Directory.Exists(path))
        {
            return "is a folder, not a file";
        }

        if (!File.Exists(path) || !OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            if (Statx(AtFdCwd, path, 0, StatxType, out var status) != 0)
            {
                return null;
            }

            var kind = (status.Mode & 0xF000) switch
            {
                0x8000 => null,
                0x1000 => "a named pipe (FIFO)",
                0x2000 => "a character device",
                0x6000 => "a block device",
                0xC000 => "a socket",
                _ => "not a regular file",
            };
            return kind is null ? null : $"is {kind}, not a regular file: a history is a file of its own";
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
    }

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
