using System.Globalization;

namespace Pacer.Cli.Run;

/// <summary>Reads sizes written as 8MiB, 512KiB, 1GB, 100KB or a plain number of bytes; writes them back the same way.</summary>
internal static class SizeParser
{
    /// <summary>The largest size read, 2047 MiB: within the most bytes one array holds.</summary>
    public const long Largest = 2047L << 20;

    private static readonly (string Suffix, long Bytes)[] Units =
    [
        ("KiB", 1L << 10),
        ("MiB", 1L << 20),
        ("GiB", 1L << 30),
        ("KB", 1_000),
        ("MB", 1_000_000),
        ("GB", 1_000_000_000),
        ("B", 1),
    ];

    /// <summary>Reads a size from 1 byte to <see cref="Largest"/>.</summary>
    public static bool TryParse(string text, out long bytes)
    {
        text = text.Trim();
        bytes = 0;
        long unit = 1;
        foreach ((string suffix, long size) in Units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                text = text[..^suffix.Length].TrimEnd();
                unit = size;
                break;
            }
        }

        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double number) || !double.IsFinite(number))
        {
            return false;
        }

        double total = Math.Floor(number * unit);
        if (total < 1 || total > Largest)
        {
            return false;
        }

        bytes = (long)total;
        return true;
    }

    /// <summary>The size in the largest binary unit that writes it whole: 8 MiB, 1536 KiB, 100 bytes.</summary>
    public static string Format(long bytes)
    {
        foreach ((string suffix, long size) in Units.Take(3).Reverse())
        {
            if (bytes >= size && bytes % size == 0)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{bytes / size} {suffix}");
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes");
    }
}
