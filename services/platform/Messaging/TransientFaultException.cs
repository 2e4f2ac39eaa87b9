namespace Dit.Platform.Messaging;

/// <summary>A failure that may pass if tried again later (a race lost, a resource busy): retried, never the consumer's fault.</summary>
public class TransientFaultException(string message) : Exception(message);
