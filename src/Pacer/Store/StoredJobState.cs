namespace Pacer;

/// <summary>Where a stored job stands in its store.</summary>
public enum StoredJobState
{
    /// <summary>Waiting to be claimed (again, if a lease ran out).</summary>
    Pending,

    /// <summary>Claimed by a worker under a lease.</summary>
    Claimed,

    /// <summary>Final: succeeded.</summary>
    Succeeded,

    /// <summary>Final: failed.</summary>
    Failed,

    /// <summary>Final: cancelled.</summary>
    Cancelled,
}
