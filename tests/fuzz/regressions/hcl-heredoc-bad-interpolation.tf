resource "aws_launch_template" "lt" {
  user_data = <<-EOT
    echo "${     = <<-EOT
    echo "${upper("hi")}"
  EOT
}
