using System.Globalization;
using StackExchange.Redis;

namespace Pacer.Redis;

/// <summary>Reads where Redis is: a <c>redis://</c> or <c>rediss://</c> URL, or a StackExchange.Redis configuration string.</summary>
internal static class RedisAddress
{
    public static ConfigurationOptions Parse(string address)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        ConfigurationOptions options;
        if (address.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) || address.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(address, UriKind.Absolute, out Uri? uri) || string.IsNullOrEmpty(uri.Host))
            {
                throw new ArgumentException($"'{Redact(address)}' is not a Redis URL: expected redis://[user:password@]host[:port][/database].", nameof(address));
            }

            options = new ConfigurationOptions { Ssl = uri.Scheme.Equals("rediss", StringComparison.OrdinalIgnoreCase) };
            options.EndPoints.Add(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? 6379 : uri.Port);
            if (uri.UserInfo.Length > 0)
            {
                string[] parts = uri.UserInfo.Split(':', 2);
                if (parts.Length == 2)
                {
                    options.User = parts[0].Length > 0 ? Uri.UnescapeDataString(parts[0]) : null;
                    options.Password = Uri.UnescapeDataString(parts[1]);
                }
                else
                {
                    options.Password = Uri.UnescapeDataString(parts[0]);
                }
            }

            string database = uri.AbsolutePath.Trim('/');
            if (database.Length > 0)
            {
                if (!int.TryParse(database, NumberStyles.None, CultureInfo.InvariantCulture, out int db) || db > 15)
                {
                    throw new ArgumentException($"'{Redact(address)}': the database after the host must be a number from 0 to 15, got '{database}'.", nameof(address));
                }

                options.DefaultDatabase = db;
            }
        }
        else
        {
            try
            {
                options = ConfigurationOptions.Parse(address);
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"'{Redact(address)}' is not a Redis address: {ex.Message}", nameof(address), ex);
            }
        }

        options.AbortOnConnectFail = false; // start while Redis is down; reconnect by itself
        options.ConnectTimeout = 2000;
        options.AsyncTimeout = 2000;
        options.SyncTimeout = 2000;
        options.ClientName = "pacer";
        return options;
    }

    /// <summary>The address without its password, for messages.</summary>
    public static string Redact(string address)
    {
        int at = address.IndexOf('@', StringComparison.Ordinal);
        int scheme = address.IndexOf("://", StringComparison.Ordinal);
        if (at > 0 && scheme > 0 && at > scheme)
        {
            return string.Concat(address.AsSpan(0, scheme + 3), "***", address.AsSpan(at));
        }

        int password = address.IndexOf("password=", StringComparison.OrdinalIgnoreCase);
        if (password >= 0)
        {
            int end = address.IndexOf(',', password);
            return string.Concat(address.AsSpan(0, password + 9), "***", end < 0 ? "" : address.AsSpan(end));
        }

        return address;
    }
}
