output "network" {
  description = "The dx-privatelink-service module's network input."
  value       = module.network.network
}

output "private_vif_id" {
  description = "The VIF: give it to your network team with the BGP settings."
  value       = module.network.private_vif_id
}

output "alarm_topic_arn" {
  description = "SNS topic of the link's alarms; the service modules can share it."
  value       = module.network.alarm_topic_arn
}
