resource "aws_launch_template" "this" {
  name_prefix   = "${var.name}-"
  image_id      = "ami-0c55b159cbfafe1f0"
  instance_type = var.instance_type

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size = 30
      volume_type = "gp3"
    }
  }

  tags = merge(var.tags, { Name = var.name })
}

resource "aws_autoscaling_group" "this" {
  name             = var.name
  min_size         = 2
  max_size         = 6
  desired_capacity = 3

  launch_template {
    id      = aws_launch_template.this.id
    version = "$Latest"
  }

  tag {
    key                 = "owner"
    value               = var.tags["owner"]
    propagate_at_launch = true
  }
}
