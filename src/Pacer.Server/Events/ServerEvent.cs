namespace Pacer.Server.Events;

/// <summary>One event of the feed: its id (rising by one), its type and its data, serialized once for every subscriber.</summary>
internal sealed record ServerEvent(long Id, string Type, string Data);
