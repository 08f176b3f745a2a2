output "forwards" {
  description = "host:port per forward: what the applications connect to."
  value       = module.consumer.forwards
}

output "endpoint_ids" {
  description = "The interface endpoint per service: with acceptance \"manual\", send these to the provider to accept."
  value       = module.consumer.endpoint_ids
}
