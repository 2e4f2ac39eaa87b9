using Hl7.Fhir.Model;
using Instant = NodaTime.Instant;

namespace Dit.Referrals.Fhir;

/// <summary>The synchronous answer to a referral message: a <c>servicerequest-response</c> message naming the request it answers and our referral.</summary>
public static class BarsResponses
{
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
        var serviceRequest = new ServiceRequest
        {
            Id = referralId.ToString(),
            Identifier = [new Identifier(BarsCodes.Base + "/referral", referralId.ToString()), new Identifier { Value = referrerReference }],
            Status = status == "revoked" ? RequestStatus.Revoked : RequestStatus.Active,
            Intent = RequestIntent.Order,
            Subject = new ResourceReference { Display = "the patient of the request" },
        };
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
