output "consumer_handover" {
  description = "Per tenant, what its consumers need (the consumer module's services entry): service name, zone ids and listen ports. No target addresses: those stay in this account."
  value = { for tenant, s in module.service : tenant => {
    service_name = s.service_name
    zone_ids     = s.zone_ids
    ports        = s.consumer_ports
  } }
}

output "service_ids" {
  description = "Endpoint service id per tenant: accept pending connections of \"manual\" tenants there."
  value       = { for tenant, s in module.service : tenant => s.service_id }
}
