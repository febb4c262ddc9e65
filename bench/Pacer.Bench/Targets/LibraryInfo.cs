using System.Reflection;

namespace Pacer.Bench.Targets;

/// <summary>Reads the version of the assembly that holds a type, as it ran.</summary>
internal static class LibraryInfo
{
    public static string VersionOf(Type type)
    {
        string? informational = type.Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (informational is null)
        {
            return type.Assembly.GetName().Version?.ToString() ?? "unknown";
        }

        int plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
