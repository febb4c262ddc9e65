namespace Pacer;

/// <summary>The state of a lane's circuit breaker.</summary>
public enum CircuitState
{
    /// <summary>Jobs start as limits allow.</summary>
    Closed,

    /// <summary>Too many failures: jobs wait (or fail fast) until the break ends.</summary>
    Open,

    /// <summary>The break ended: one probe runs; its success closes the circuit, its failure opens it again.</summary>
    HalfOpen,
}
