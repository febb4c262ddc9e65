using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pacer.Simulator;

/// <summary>
/// The JSON of <c>/_sim/limits</c>: <see cref="SimulatorLimits"/> in camelCase, routes by name
/// (<c>"chat"</c>), unknown properties rejected by name.
/// </summary>
internal static class LimitsJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JsonResponse.Encoder,
    };
}
