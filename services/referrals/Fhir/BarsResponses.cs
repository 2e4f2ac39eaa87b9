using Hl7.Fhir.Model;
using Instant = NodaTime.Instant;

namespace Dit.Referrals.Fhir;

/// <summary>The synchronous answer to a referral message: a <c>servicerequest-response</c> message naming the request it answers and our referral.</summary>
public static class BarsResponses
{
    /// <summary>Our referral as a ServiceRequest: its ids, and its state in FHIR's terms (our own status as a note).</summary>
    public static ServiceRequest ServiceRequestOf(Guid referralId, string? referrerReference, string status) => new()
    {
        Id = referralId.ToString(),
        Identifier = [new Identifier(BarsCodes.Base + "/referral", referralId.ToString()), new Identifier { Value = referrerReference }],
        Status = status switch
        {
            Status.ReferralStatus.Waitlisted or Status.ReferralStatus.NeedsReview => RequestStatus.OnHold,
            Status.ReferralStatus.Cancelled => RequestStatus.Revoked,
            Status.ReferralStatus.Completed => RequestStatus.Completed,
            _ => RequestStatus.Active,
        },
        Intent = RequestIntent.Order,
        Subject = new ResourceReference { Display = "the patient of the referral" },
        Note = [new Annotation { Text = $"DIT referral status: {status}" }],
    };

    /// <param name="status">Our referral's status (<see cref="Status.ReferralStatus"/>).</param>
    public static Bundle Accepted(BarsEnvelope request, Guid referralId, string? referrerReference, string status, Instant now)
    {
        var serviceRequestUrl = $"urn:uuid:{referralId}";
        var header = new MessageHeader
        {
            Id = Guid.NewGuid().ToString(),
            Meta = new Meta { Profile = ["https://fhir.nhs.uk/StructureDefinition/BARSMessageHeader-servicerequest-response"] },
            Event = new Coding(BarsCodes.MessageEvents, "servicerequest-response"),
            Source = new MessageHeader.MessageSourceComponent { Name = "DIT scheduling", Endpoint = $"{BarsCodes.Base}/$process-message" },
            Response = new MessageHeader.ResponseComponent { Identifier = request.MessageId, Code = MessageHeader.ResponseType.Ok },
            Focus = [new ResourceReference(serviceRequestUrl)],
        };
        var serviceRequest = ServiceRequestOf(referralId, referrerReference, status);
        return new Bundle
        {
            Id = Guid.NewGuid().ToString(),
            Type = Bundle.BundleType.Message,
            Timestamp = now.ToDateTimeOffset(),
            Entry =
            [
                new Bundle.EntryComponent { FullUrl = $"urn:uuid:{header.Id}", Resource = header },
                new Bundle.EntryComponent { FullUrl = serviceRequestUrl, Resource = serviceRequest },
            ],
        };
    }
}
